import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono, type Context as HonoContext, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { readSessionCookie } from './auth/cookies.js';
import { originAllowed } from './auth/origin.js';
import { authenticateSession } from './auth/service.js';
import { unavailableOr, unavailableResponse } from './http/errors.js';
import { logInternalError, retryAfterHeaders } from './http/trpc-errors.js';
import { isDatabaseUnavailable } from './db/unavailable.js';
import { describeError } from './log.js';
import { authRoutes } from './auth/routes.js';
import { mountPublic } from './public/mount.js';
import { appRouter } from './routers/index.js';
import type { Services } from './services.js';

export const MAX_BODY_BYTES = 64 * 1024;

export type AppParts = {
  /** The SPA's API: tRPC at /internal and the REST /auth routes. */
  internal?: boolean;
  /** The partners' API: /api/v1 and /oauth/token. */
  public?: boolean;
};

/** The one HTTP app, served by `@hono/node-server` locally and by `hono/aws-lambda` on Lambda. */
export function createApp(svc: Services, parts: AppParts = { internal: true, public: true }): Hono {
  const app = new Hono();

  app.use('*', securityHeaders);
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json({ error: 'payload_too_large', message: `request body must be at most ${MAX_BODY_BYTES} bytes` }, 413),
    }),
  );

  if (parts.internal) mountInternal(app, svc);
  if (parts.public) mountPublic(app, svc);

  app.notFound((c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (isDatabaseUnavailable(error)) return unavailableResponse(c, svc, error);
    svc.log.error('http.unhandled', { method: c.req.method, path: c.req.path, ...describeError(error) });
    return c.json({ error: 'internal_error', message: 'internal error' }, 500);
  });
  return app;
}

function mountInternal(app: Hono, svc: Services): void {
  const spaCors = cors({ origin: svc.config.appOrigins, credentials: true, maxAge: 600 });
  const sameOrigin: MiddlewareHandler = async (c, next) => {
    if (!originAllowed(c.req.method, c.req.header('origin'), svc.config.appOrigins)) {
      return c.json({ error: 'forbidden', message: 'request origin is not allowed' }, 403);
    }
    await next();
  };
  for (const path of ['/internal/*', '/auth/*']) app.use(path, spaCors, sameOrigin);

  app.route('/auth', authRoutes(svc));

  app.all('/internal/*', (c) =>
    fetchRequestHandler({
      endpoint: '/internal',
      req: c.req.raw,
      router: appRouter,
      allowMethodOverride: false,
      createContext: async ({ req, resHeaders }) => ({
        svc,
        req,
        resHeaders,
        user: await authenticateSession(svc, readSessionCookie(req.headers.get('cookie'))).catch(unavailableOr(svc)),
        partner: null,
      }),
      responseMeta: ({ errors }) => retryAfterHeaders(errors),
      onError: ({ error, path }) => logInternalError(svc, error, `trpc ${path ?? '?'}`),
    }),
  );
}

/** API responses are never cached and never sniffed; they carry credentials or account data. */
const securityHeaders: MiddlewareHandler = async (c: HonoContext, next) => {
  await next();
  const h = c.res.headers;
  if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  h.set('X-Content-Type-Options', 'nosniff');
  h.set('Referrer-Policy', 'no-referrer');
  h.set('X-Frame-Options', 'DENY');
};
