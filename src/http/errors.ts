import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { databaseUnavailable, isDatabaseUnavailable } from '../db/unavailable.js';
import { AppError, HTTP_STATUS } from '../domain/errors.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { describeZodError, fieldErrorsOf, toTRPCError } from '../trpc.js';
import { unavailableResponse } from './unavailable.js';

// Moved so that the app shell loads no tRPC (the status pages' Lambda has none); re-exported for callers.
export { apiError, unavailableResponse } from './unavailable.js';

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

/** For tRPC's createContext, which runs outside any procedure: the same 503 as inside one. */
export function unavailableOr(svc: Services) {
  return (error: unknown): never => {
    if (!isDatabaseUnavailable(error)) throw error;
    svc.log.error('database.unavailable', describeError(error));
    throw toTRPCError(databaseUnavailable());
  };
}
