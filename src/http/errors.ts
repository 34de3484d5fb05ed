import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailable, isDatabaseUnavailable, UNAVAILABLE_MESSAGE } from '../db/unavailable.js';
import { AppError, HTTP_STATUS } from '../domain/errors.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { describeZodError, fieldErrorsOf, toTRPCError } from '../trpc.js';

/**
 * The JSON error of the plain REST routes: `{ error, message }`, with the status and the
 * Retry-After that the same failure gets through tRPC. Unexpected errors are logged, not shown.
 */
export function errorResponse(c: Context, svc: Services, error: unknown): Response {
  if (error instanceof ZodError) {
    return c.json({ error: 'bad_request', message: describeZodError(error), fieldErrors: fieldErrorsOf(error) }, 400);
  }
  if (error instanceof AppError) {
    const { retryAfterSeconds, fieldErrors, limit } = error.details;
    if (retryAfterSeconds !== undefined) c.header('Retry-After', String(retryAfterSeconds));
    return c.json(
      { error: REST_ERROR[error.code], message: error.message, fieldErrors, limit, retryAfterSeconds },
      HTTP_STATUS[error.code] as ContentfulStatusCode,
    );
  }
  if (isDatabaseUnavailable(error)) return unavailableResponse(c, svc, error);
  svc.log.error('http.failed', { method: c.req.method, path: c.req.path, ...describeError(error) });
  return c.json({ error: 'internal_error', message: 'internal error' }, 500);
}

/** The `error` word each code has always had on the REST routes. */
const REST_ERROR: Record<AppError['code'], string> = {
  BAD_INPUT: 'bad_request',
  UNAUTHENTICATED: 'unauthorized',
  FORBIDDEN: 'forbidden',
  LIMIT: 'forbidden',
  NOT_FOUND: 'not_found',
  CONFLICT: 'conflict',
  RATE_LIMITED: 'too_many_requests',
  UNAVAILABLE: 'service_unavailable',
};

/** Parses a JSON body; anything that is not JSON is a 400, never a 500. */
export async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new AppError('BAD_INPUT', 'request body must be JSON');
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
    throw toTRPCError(databaseUnavailable());
  };
}
