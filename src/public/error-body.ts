import type { TRPCError } from '@trpc/server';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTP_STATUS, findAppError, type AppError, type FieldError, type LimitDetails } from '../domain/errors.js';
import { appErrorOf, retryAfterHeader } from '../http/errors.js';
import type { Logger } from '../log.js';
import { TRPC_CODE } from '../trpc.js';

/**
 * The partners' one error body under /api/v1, documented in openapi.json: `code` is the tRPC code
 * name trpc-to-openapi has always used, `issues` names each bad field once, and 429/503 say when
 * to come back (the Retry-After header says it too).
 */
export type PublicErrorBody = {
  message: string;
  code: string;
  issues: FieldError[];
  limit?: LimitDetails | undefined;
  retryAfterSeconds?: number | undefined;
};

export function publicErrorBody(code: string, message: string, app?: AppError): PublicErrorBody {
  const { fieldErrors = [], limit, retryAfterSeconds } = app?.details ?? {};
  return { message, code, issues: fieldErrors, limit, retryAfterSeconds };
}

/** An AppError (or nothing known: a 500) as the public door answers it. */
export function publicErrorResponse(c: Context, app: AppError | undefined, headers: Record<string, string> = {}): Response {
  if (!app) return c.json(publicErrorBody('INTERNAL_SERVER_ERROR', 'internal error'), 500, headers);
  return c.json(publicErrorBody(TRPC_CODE[app.code], app.message, app), HTTP_STATUS[app.code] as ContentfulStatusCode, {
    ...headers,
    ...retryAfterHeader(app),
  });
}

/**
 * The body of a failed procedure, built from the error itself (trpc-to-openapi's own body passes
 * tRPC's internals through and says only "Input validation failed").
 */
export function procedureErrorBody(error: TRPCError): PublicErrorBody {
  const app = findAppError(error);
  if (app) return publicErrorBody(TRPC_CODE[app.code], app.message, app);
  return publicErrorBody(error.code, error.code === 'INTERNAL_SERVER_ERROR' ? 'internal error' : error.message);
}

/** The door's onError: a failure outside any procedure (the bearer check, the rate limit). */
export function publicDoorError(log: Logger) {
  return (error: unknown, c: Context): Response => publicErrorResponse(c, appErrorOf(error, log, `${c.req.method} ${c.req.path}`));
}
