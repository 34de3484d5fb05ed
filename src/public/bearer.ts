import type { MiddlewareHandler } from 'hono';
import { verifyAccessToken } from '../auth/tokens.js';
import { rateLimited, unauthenticated } from '../domain/errors.js';
import { limitsOf } from '../domain/plans.js';
import { hitWindow } from '../db/rate-limit.js';
import { activeClient } from '../oauth/clients.js';
import type { ApiServices } from '../services.js';
import type { Partner } from '../trpc.js';
import { publicErrorResponse } from './error-body.js';

export type PartnerEnv = { Variables: { partner: Partner } };

export const REALM = 'realm="vigil-api"';

/** RFC 6750: a valid, unexpired access token of a client that is still active. */
export function bearerAuth(svc: ApiServices): MiddlewareHandler<PartnerEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
    if (!match) {
      return publicErrorResponse(c, unauthenticated('a bearer access token is required; get one at POST /oauth/token'), {
        'WWW-Authenticate': `Bearer ${REALM}`,
      });
    }
    const claims = await verifyAccessToken(svc.keys, match[1]!, svc.now());
    // Revocation takes effect at once: the client must still be active on every request.
    const client = claims ? await activeClient(svc, claims.clientId) : null;
    if (!claims || !client || client.accountId !== claims.accountId) {
      return publicErrorResponse(c, unauthenticated('the access token is invalid, expired or revoked'), {
        'WWW-Authenticate': `Bearer ${REALM}, error="invalid_token"`,
      });
    }
    c.set('partner', { clientId: client.clientId, accountId: client.accountId, plan: client.plan, scopes: claims.scopes });
    await next();
  };
}

/** Per account, by plan, counted in the database so every Lambda instance shares the window. */
export function rateLimit(svc: ApiServices): MiddlewareHandler<PartnerEnv> {
  return async (c, next) => {
    const { accountId, plan } = c.get('partner');
    const hit = await hitWindow(svc.db, `api:${accountId}`, limitsOf(plan).publicApiRequestsPerMinute, 60_000, svc.now());
    const headers = {
      'X-RateLimit-Limit': String(hit.limit),
      'X-RateLimit-Remaining': String(hit.remaining),
      'X-RateLimit-Reset': String(Math.ceil(hit.resetAt / 1000)),
    };
    if (!hit.allowed) {
      return publicErrorResponse(c, rateLimited(`rate limit of ${hit.limit} requests per minute exceeded`, hit.retryAfterSeconds), headers);
    }
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  };
}
