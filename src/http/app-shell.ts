import { Hono, type Context as HonoContext, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { unavailableResponse } from './unavailable.js';

export const MAX_BODY_BYTES = 64 * 1024;

/** Adds one API's routes to the app. */
export type Mount = (app: Hono, svc: Services) => void;

/**
 * What every door shares: security headers, the body limit, JSON 404s and errors that never show
 * internals. Each Lambda mounts only its own API, so it loads only that API's code at cold start.
 */
export function createAppShell(svc: Services, mounts: Mount[]): Hono {
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

  for (const mount of mounts) mount(app, svc);

  app.notFound((c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (isDatabaseUnavailable(error)) return unavailableResponse(c, svc, error);
    svc.log.error('http.unhandled', { method: c.req.method, path: c.req.path, ...describeError(error) });
    return c.json({ error: 'internal_error', message: 'internal error' }, 500);
  });
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
