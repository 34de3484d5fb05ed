import { Hono, type Context as HonoContext, type MiddlewareHandler } from 'hono';
import type { ApiServices, Services } from '../services.js';
import { restErrorResponse } from './errors.js';

/**
 * Adds one API's doors to the app. Each door is a sub-app with its own error body, 404 and body limit.
 * A door says what it needs: the APIs take ApiServices (with the token keys), the status pages plain
 * Services, so their lean Lambda is built without keys.
 */
export type Mount<S extends Pick<Services, 'log'> = ApiServices> = (app: Hono, svc: S) => void;

/**
 * What every door shares: security headers. Paths outside every door get plain JSON 404s, and
 * errors never show internals. Each Lambda mounts only its own API, so it loads only that API's
 * code at cold start.
 */
export function createAppShell<S extends Pick<Services, 'log'>>(svc: S, mounts: Mount<S>[]): Hono {
  const app = new Hono();
  app.use('*', securityHeaders);
  for (const mount of mounts) mount(app, svc);
  app.notFound((c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => restErrorResponse(c, svc.log, error));
  return app;
}

/** API responses are never cached and never sniffed; they carry credentials or account data. */
const securityHeaders: MiddlewareHandler = async (c: HonoContext, next) => {
  await next();
  const h = c.res.headers;
  if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  h.set('X-Content-Type-Options', 'nosniff');
  h.set('Referrer-Policy', 'no-referrer');
  // A response whose CSP names its frame-ancestors (a status page its owner embeds) decides alone.
  if (!h.get('Content-Security-Policy')?.includes('frame-ancestors')) h.set('X-Frame-Options', 'DENY');
};
