import type { Context } from 'hono';
import { DATABASE_RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE } from '../db/unavailable.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';

/** The public API's error body: the shape trpc-to-openapi gives procedure errors, so partners parse one type. */
export const apiError = (code: string, message: string) => ({ message, code, issues: [] });

/** A 503 with Retry-After, in the error shape of the door it came through. */
export function unavailableResponse(c: Context, svc: Services, error: unknown): Response {
  svc.log.error('database.unavailable', { method: c.req.method, path: c.req.path, ...describeError(error) });
  const headers = { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) };
  if (c.req.path.startsWith('/oauth/')) {
    // RFC 6749 §4.1.2.1 names this error for the authorization endpoint; token clients know it too.
    return c.json({ error: 'temporarily_unavailable', error_description: UNAVAILABLE_MESSAGE }, 503, { ...headers, 'Cache-Control': 'no-store' });
  }
  if (c.req.path.startsWith('/api/')) {
    return c.json(apiError('SERVICE_UNAVAILABLE', UNAVAILABLE_MESSAGE), 503, headers);
  }
  return c.json({ error: 'service_unavailable', message: UNAVAILABLE_MESSAGE }, 503, headers);
}

