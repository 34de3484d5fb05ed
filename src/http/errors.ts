import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { databaseUnavailable, isDatabaseUnavailable } from '../db/unavailable.js';
import { AppError, badInputFromZod, findAppError, HTTP_STATUS } from '../domain/errors.js';
import { describeError, type Logger } from '../log.js';
// Every door words missing, wrong-type and unknown input the same way (installs zod's message map).
import './input-messages.js';

/**
 * The AppError a failure stands for: the one it carries, input that failed its schema as
 * BAD_INPUT, or a database that is down or locked as UNAVAILABLE (a 503 the client can retry).
 * Undefined for anything else: that is unexpected, and the caller answers 500 without details.
 */
export function knownAppError(error: unknown, log: Logger, where: string): AppError | undefined {
  const app = findAppError(error);
  if (app) return app;
  if (error instanceof ZodError) return badInputFromZod(error);
  if (isDatabaseUnavailable(error)) {
    log.error('database.unavailable', { where, ...describeError(error) });
    return databaseUnavailable();
  }
  return undefined;
}

/** What any door answers a failure with; the unexpected ones are logged here, once. */
export function appErrorOf(error: unknown, log: Logger, where: string): AppError | undefined {
  const app = knownAppError(error, log, where);
  if (!app) log.error('request.failed', { where, ...describeError(error) });
  return app;
}

/** The HTTP headers an AppError asks for on every door. */
export function retryAfterHeader(error: AppError | undefined): Record<string, string> {
  const seconds = error?.details.retryAfterSeconds;
  return seconds === undefined ? {} : { 'Retry-After': String(seconds) };
}

/**
 * The REST door's mapper (the /auth routes, and anything outside every door): `{ error, message }`
 * with the status, fieldErrors, limit and retryAfterSeconds that the same failure gets through tRPC.
 */
export function restErrorResponse(c: Context, log: Logger, error: unknown): Response {
  const app = appErrorOf(error, log, `${c.req.method} ${c.req.path}`);
  if (!app) return c.json({ error: 'internal_error', message: 'internal error' }, 500);
  const { retryAfterSeconds, fieldErrors, limit } = app.details;
  return c.json(
    { error: REST_ERROR[app.code], message: app.message, fieldErrors, limit, retryAfterSeconds },
    HTTP_STATUS[app.code] as ContentfulStatusCode,
    retryAfterHeader(app),
  );
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
