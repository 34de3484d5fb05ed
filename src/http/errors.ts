import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
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
