import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Hono, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { readSessionCookie } from '../auth/cookies.js';
import { originAllowed } from '../auth/origin.js';
import { authRoutes } from '../auth/routes.js';
import { batchErrorBody, batchProblem } from './batch-guard.js';
import { authenticateSession } from '../auth/service.js';
import { clientIp } from '../http/client-ip.js';
import { unavailableOr } from '../http/errors.js';
import { logInternalError, retryAfterHeaders } from '../http/trpc-errors.js';
import { appRouter } from '../routers/index.js';
import type { Services } from '../services.js';

/** The SPA's API: tRPC at /internal and the REST /auth routes, behind CORS and the Origin check. */
export function mountInternal(app: Hono, svc: Services): void {
  const spaCors = cors({ origin: svc.config.appOrigins, credentials: true, maxAge: 600 });
  const sameOrigin: MiddlewareHandler = async (c, next) => {
    if (!originAllowed(c.req.method, c.req.header('origin'), svc.config.appOrigins)) {
      return c.json({ error: 'forbidden', message: 'request origin is not allowed' }, 403);
    }
    await next();
  };
  for (const path of ['/internal/*', '/auth/*']) app.use(path, spaCors, sameOrigin);

  app.route('/auth', authRoutes(svc));

  app.all('/internal/*', (c) => {
    const problem = batchProblem(c.req.path, c.req.query('batch') === '1');
    if (problem) return c.json(batchErrorBody(c.req.path, problem), 400);
    return fetchRequestHandler({
      endpoint: '/internal',
      req: c.req.raw,
      router: appRouter,
      allowMethodOverride: false,
      createContext: async ({ req, resHeaders }) => ({
        svc,
        req,
        resHeaders,
        ip: clientIp(c),
        user: await authenticateSession(svc, readSessionCookie(req.headers.get('cookie'))).catch(unavailableOr(svc)),
        partner: null,
      }),
      responseMeta: ({ errors }) => retryAfterHeaders(errors),
      onError: ({ error, path }) => logInternalError(svc, error, `trpc ${path ?? '?'}`),
    });
  });
}
