import type { Context } from 'hono';
import type { AppError } from '../domain/errors.js';
import { appErrorOf } from '../http/errors.js';
import type { Logger } from '../log.js';

/** RFC 6749 §5.2's error codes, plus slow_down (RFC 8628) and temporarily_unavailable (§4.1.2.1). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'slow_down'
  | 'temporarily_unavailable'
  | 'server_error';

/** Token responses and their errors are never cached (RFC 6749 §5.1). */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export function oauthError(
  c: Context,
  error: OAuthErrorCode,
  description: string,
  status: 400 | 401 | 404 | 405 | 413 | 429 | 500 | 503,
  headers: Record<string, string> = {},
) {
  return c.json({ error, error_description: description }, status, { ...NO_STORE, ...headers });
}

/** Each AppError as RFC 6749 §5.2 names it; anything unknown is a server_error without details. */
export function oauthErrorResponse(c: Context, app: AppError | undefined): Response {
  if (!app) return oauthError(c, 'server_error', 'internal error', 500);
  const retry = app.details.retryAfterSeconds;
  const retryHeader: Record<string, string> = retry === undefined ? {} : { 'Retry-After': String(retry) };
  switch (app.code) {
    case 'UNAUTHENTICATED':
      return oauthError(c, 'invalid_client', app.message, 401);
    case 'RATE_LIMITED':
      return oauthError(c, 'slow_down', app.message, 429, retryHeader);
    case 'UNAVAILABLE':
      return oauthError(c, 'temporarily_unavailable', app.message, 503, retryHeader);
    default:
      return oauthError(c, 'invalid_request', app.message, 400);
  }
}

/** The token endpoint's onError. */
export function oauthDoorError(log: Logger) {
  return (error: unknown, c: Context): Response => oauthErrorResponse(c, appErrorOf(error, log, `${c.req.method} ${c.req.path}`));
}
