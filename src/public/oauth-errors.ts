import type { Context } from 'hono';
import type { AppError, AppErrorCode } from '../domain/errors.js';
import { appErrorOf, retryAfterHeader } from '../http/errors.js';
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

/** The client authentication the token endpoint asks for (RFC 6749 §2.3.1: HTTP Basic). */
export const BASIC_CHALLENGE = 'Basic realm="vigil", charset="UTF-8"';

/**
 * Every 401 says how to authenticate (RFC 9110 §15.5.2; RFC 6749 §5.2 for invalid_client): a
 * client that sent its secret in the body, or nothing at all, is told to use HTTP Basic too.
 */
export function oauthError(
  c: Context,
  error: OAuthErrorCode,
  description: string,
  status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 429 | 500 | 503,
  headers: Record<string, string> = {},
) {
  const challenge: Record<string, string> = status === 401 ? { 'WWW-Authenticate': BASIC_CHALLENGE } : {};
  return c.json({ error, error_description: description }, status, { ...NO_STORE, ...challenge, ...headers });
}

/**
 * Each AppError as RFC 6749 §5.2 names it (a Record, so a new code must be placed here). Only the
 * first three reach the token endpoint today; the others are invalid requests with their usual status.
 */
const OAUTH_ERROR: Record<AppErrorCode, [OAuthErrorCode, 400 | 401 | 403 | 404 | 409 | 429 | 503]> = {
  UNAUTHENTICATED: ['invalid_client', 401],
  RATE_LIMITED: ['slow_down', 429],
  UNAVAILABLE: ['temporarily_unavailable', 503],
  BAD_INPUT: ['invalid_request', 400],
  FORBIDDEN: ['invalid_request', 403],
  LIMIT: ['invalid_request', 403],
  NOT_FOUND: ['invalid_request', 404],
  CONFLICT: ['invalid_request', 409],
};

/** An AppError (or nothing known: a server_error without details) as the token endpoint answers it. */
export function oauthErrorResponse(c: Context, app: AppError | undefined): Response {
  if (!app) return oauthError(c, 'server_error', 'internal error', 500);
  const [error, status] = OAUTH_ERROR[app.code];
  return oauthError(c, error, app.message, status, retryAfterHeader(app));
}

/** The token endpoint's onError. */
export function oauthDoorError(log: Logger) {
  return (error: unknown, c: Context): Response => oauthErrorResponse(c, appErrorOf(error, log, `${c.req.method} ${c.req.path}`));
}
