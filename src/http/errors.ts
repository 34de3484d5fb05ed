import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailable, isDatabaseUnavailable, UNAVAILABLE_MESSAGE } from '../db/unavailable.js';
import { retryAfterOf } from '../domain/errors.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { describeZodError } from '../trpc.js';

/**
 * The JSON error of the plain REST routes: `{ error, message }`, with the status and the
 * Retry-After that the same failure gets through tRPC. Unexpected errors are logged, not shown.
 */
export function errorResponse(c: Context, svc: Services, error: unknown): Response {
  if (error instanceof ZodError) {
    return c.json({ error: 'bad_request', message: describeZodError(error) }, 400);
  }
  if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
    const status = getHTTPStatusCodeFromError(error) as ContentfulStatusCode;
    const retryAfter = retryAfterOf(error);
    if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
    return c.json({ error: error.code.toLowerCase(), message: error.message }, status);
  }
  if (isDatabaseUnavailable(error)) return unavailableResponse(c, svc, error);
  svc.log.error('http.failed', { method: c.req.method, path: c.req.path, ...describeError(error) });
  return c.json({ error: 'internal_error', message: 'internal error' }, 500);
}

/** Parses a JSON body; anything that is not JSON is a 400, never a 500. */
export async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'request body must be JSON' });
  }
}

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

/** For tRPC's createContext, which runs outside any procedure: the same 503 as inside one. */
export function unavailableOr(svc: Services) {
  return (error: unknown): never => {
    if (!isDatabaseUnavailable(error)) throw error;
    svc.log.error('database.unavailable', describeError(error));
    throw databaseUnavailable();
  };
}
