import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { readSessionCookie } from '../auth/cookies.js';
import { originAllowed } from '../auth/origin.js';
import { pendingSession } from '../auth/sessions.js';
import { AppError, forbidden } from '../domain/errors.js';
import { BODY_TOO_LARGE, limitBody } from '../http/body-limit.js';
import { clientIp } from '../http/client-ip.js';
import { restErrorResponse } from '../http/errors.js';
import { appRouter } from '../routers/index.js';
import type { ApiServices } from '../services.js';
import { logInternalError, retryAfterHeaders } from '../trpc.js';
import { authRoutes } from './auth-routes.js';
import { batchGuard } from './batch-guard.js';
import { sessionChallenge } from './challenge.js';
import { payloadTooLarge, trpcDoorError, trpcShellError } from './shell-errors.js';

/**
 * The SPA's API, two doors behind CORS and the Origin check: tRPC at /internal, answering every
 * error in tRPC's shape (batches bounded: see batch-guard.ts), and the REST /auth routes, answering
 * `{ error, message }`.
 */
export function mountInternal(root: Hono, svc: ApiServices): void {
  root.route('/internal', trpcDoor(svc));
  root.route('/auth', restAuthDoor(svc));
}

function trpcDoor(svc: ApiServices): Hono {
  const door = new Hono();
  door.onError(trpcDoorError(svc.log));
  door.use('*', sessionChallenge, spaCors(svc), sameOrigin(svc, (c, refusal) => trpcShellError(c, refusal)));
  door.use('*', limitBody((c) => trpcShellError(c, payloadTooLarge(BODY_TOO_LARGE))));
  door.use('*', batchGuard);
  door.all('*', (c) =>
    fetchRequestHandler({
      endpoint: '/internal',
      req: c.req.raw,
      router: appRouter,
      allowMethodOverride: false,
      createContext: async ({ req, resHeaders }) => ({
        svc,
        req,
        resHeaders,
        ip: clientIp(c),
        // Only the signature is checked here: the session row is read with each procedure's first statement.
        session: await pendingSession(svc, readSessionCookie(req.headers.get('cookie'))),
        partner: null,
      }),
      responseMeta: ({ errors }) => retryAfterHeaders(errors),
      onError: ({ error, path }) => logInternalError(svc, error, `trpc ${path ?? '?'}`),
    }),
  );
  return door;
}

function restAuthDoor(svc: ApiServices): Hono {
  const door = new Hono();
  door.onError((error, c) => restErrorResponse(c, svc.log, error));
  door.use('*', sessionChallenge, spaCors(svc), sameOrigin(svc, (c, refusal) => restErrorResponse(c, svc.log, refusal)));
  door.use('*', limitBody((c) => c.json({ error: 'payload_too_large', message: BODY_TOO_LARGE }, 413)));
  door.route('/', authRoutes(svc));
  door.all('*', (c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  return door;
}

const spaCors = (svc: ApiServices) => cors({ origin: svc.config.appOrigins, credentials: true, maxAge: 600 });

/** CSRF defence: the refusal names what arrived and where the allowed origins are configured. */
function sameOrigin(svc: ApiServices, refuse: (c: Parameters<MiddlewareHandler>[0], refusal: AppError) => Response): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (!originAllowed(c.req.method, origin, svc.config.appOrigins)) {
      const received = origin ? `origin ${origin}` : 'a request without an Origin header';
      return refuse(c, forbidden(`${received} may not call this API; APP_ORIGINS lists the allowed origins`));
    }
    await next();
  };
}
