import type { Context } from 'hono';
import { ACCESS_SCOPES, ACCESS_TOKEN_TTL_SECONDS, signAccessToken, type AccessScope } from '../auth/tokens.js';
import { coarseRetryAfter, hitWindow } from '../db/rate-limit.js';
import { rateLimited } from '../domain/errors.js';
import { MINUTE_MS } from '../domain/time.js';
import { clientIp } from '../http/client-ip.js';
import { authenticateClient } from '../oauth/clients.js';
import { beginTokenAttempt } from '../oauth/token-throttle.js';
import type { ApiServices } from '../services.js';
import { NO_STORE, oauthError } from './oauth-errors.js';

/** Successful token requests per client per minute; far above what a client caching its 15-minute token needs. */
export const TOKEN_REQUESTS_PER_MINUTE = 30;

/** RFC 6749 §2.3.1: the Basic credentials are form-urlencoded before base64. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null | 'malformed' {
  if (!header || !/^basic /i.test(header)) return null;
  try {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return 'malformed';
    const form = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

/** POST /oauth/token — the OAuth 2.0 client credentials grant (RFC 6749 §4.4). */
export function tokenEndpoint(svc: ApiServices) {
  return async (c: Context) => {
    const type = c.req.header('content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return oauthError(c, 'invalid_request', 'the body must be application/x-www-form-urlencoded', 400);
    }
    const form = new URLSearchParams(await c.req.text());
    for (const [key] of form) {
      if (form.getAll(key).length > 1) return oauthError(c, 'invalid_request', `parameter ${key} is repeated`, 400);
    }

    const basic = basicCredentials(c.req.header('authorization'));
    const posted = form.has('client_id') || form.has('client_secret');
    if (basic === 'malformed') return oauthError(c, 'invalid_client', 'malformed Basic credentials', 401);
    if (basic && posted) {
      return oauthError(c, 'invalid_request', 'use one client authentication method, not both', 400);
    }
    const credentials = basic ?? (posted ? { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' } : null);
    if (!credentials) {
      return oauthError(c, 'invalid_client', 'client authentication is required (HTTP Basic)', 401);
    }

    const grant = form.get('grant_type');
    if (!grant) return oauthError(c, 'invalid_request', 'grant_type is required', 400);
    if (grant !== 'client_credentials') {
      return oauthError(c, 'unsupported_grant_type', 'only client_credentials is supported', 400);
    }
    const requested = (form.get('scope') ?? ACCESS_SCOPES.join(' ')).split(' ').filter(Boolean);
    const unknown = requested.filter((s) => !(ACCESS_SCOPES as readonly string[]).includes(s));
    if (unknown.length || requested.length === 0) {
      return oauthError(c, 'invalid_scope', `unknown scope; available: ${ACCESS_SCOPES.join(' ')}`, 400);
    }

    // Both throttles throw RATE_LIMITED, which the door's OAuth error table answers as slow_down (429, Retry-After).
    const attempt = await beginTokenAttempt(svc, credentials.id, clientIp(c));
    if (attempt.retryAfterSeconds !== null) {
      throw rateLimited('too many failed token requests from this address; try again later', attempt.retryAfterSeconds);
    }
    const client = await authenticateClient(svc, credentials.id, credentials.secret);
    if (!client) return oauthError(c, 'invalid_client', 'unknown client or wrong secret', 401);
    await attempt.succeeded();

    // Only the secret's holder can spend this budget, so it cannot be used against the client.
    const throttle = await hitWindow(svc.db, `token-ok:${client.clientId}`, TOKEN_REQUESTS_PER_MINUTE, MINUTE_MS, svc.now());
    if (!throttle.allowed) {
      throw rateLimited('too many token requests for this client; reuse the token until it expires', coarseRetryAfter(throttle.retryAfterSeconds, 30));
    }

    const scopes = [...new Set(requested)] as AccessScope[];
    const accessToken = await signAccessToken(
      svc.keys,
      { clientId: client.clientId, accountId: client.accountId, scopes },
      svc.now(),
    );
    return c.json(
      { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS, scope: scopes.join(' ') },
      200,
      NO_STORE,
    );
  };
}
