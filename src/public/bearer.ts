import { exists, sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { PendingCaller } from '../auth/caller.js';
import { verifyAccessToken, type AccessClaims } from '../auth/tokens.js';
import { both, mapPlan } from '../db/plan.js';
import { judgeHit, windowHit, type WindowHit } from '../db/rate-limit.js';
import { oauthClients } from '../db/schema.js';
import { AppError, rateLimited, unauthenticated } from '../domain/errors.js';
import { limitsOf } from '../domain/plans.js';
import { activeClientCondition, activeClientPlan } from '../oauth/clients.js';
import type { ApiServices } from '../services.js';
import type { Partner, PendingPartner } from '../trpc.js';
import { publicDoorError, publicErrorResponse } from './error-body.js';

export type PartnerEnv = { Variables: { partner: PendingPartner } };

export const REALM = 'realm="vigil-api"';

const INVALID_TOKEN = 'the access token is invalid, expired or revoked';

/**
 * RFC 6750: a valid, unexpired access token of a client that is still active, within its
 * account's rate limit. The signature is checked here; the client row (revocation takes effect at
 * once: it is read on every request) and the rate-limit hit are confirmed in the same batch as the
 * procedure's read (one round trip). A request that read nothing (no route, bad input) is
 * confirmed after. The refusal is answered here, whatever the procedure answered.
 */
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
    if (!claims) return invalidToken(c);
    const pending = pendingPartner(svc, claims);
    c.set('partner', pending);
    await next();
    const outcome = await pending.settle();
    const hit = pending.hit;
    const limitHeaders: Record<string, string> = hit
      ? {
          'X-RateLimit-Limit': String(hit.limit),
          'X-RateLimit-Remaining': String(hit.remaining),
          'X-RateLimit-Reset': String(Math.ceil(hit.resetAt / 1000)),
        }
      : {};
    if (outcome.ok) {
      for (const [k, v] of Object.entries(limitHeaders)) c.res.headers.set(k, v);
      return;
    }
    const { error } = outcome;
    const refusal = error instanceof AppError ? error.code : undefined;
    // Replaces whatever the procedure answered (Hono merges the old headers into a new response unless cleared first).
    c.res = undefined as unknown as Response;
    if (refusal === 'UNAUTHENTICATED') c.res = invalidToken(c);
    else if (refusal === 'RATE_LIMITED') c.res = publicErrorResponse(c, error as AppError, limitHeaders);
    else c.res = publicDoorError(svc.log)(error, c);
  };
}

const invalidToken = (c: Parameters<MiddlewareHandler>[0]) =>
  publicErrorResponse(c, unauthenticated(INVALID_TOKEN), { 'WWW-Authenticate': `Bearer ${REALM}, error="invalid_token"` });

/**
 * The partner a verified token claims, and the statements that confirm it: the client still
 * active in the token's account, and one hit on the account's per-minute window (counted in the
 * database so every Lambda instance shares it), counted only when the client is (a request refused
 * for auth counts nothing). Refusals: 401 first, then 429.
 */
function pendingPartner(svc: ApiServices, claims: AccessClaims): PendingPartner & { hit: WindowHit | undefined } {
  const now = svc.now();
  const confirmation = () => {
    const client = activeClientPlan(svc, claims.clientId);
    const live = exists(
      svc.db.select({ one: sql`1` }).from(oauthClients).where(sql`${activeClientCondition(claims.clientId)} AND ${oauthClients.accountId} = ${claims.accountId}`),
    );
    return mapPlan(both(client, windowHit(svc.db, `api:${claims.accountId}`, 60_000, now, live)), ([row, counted]): Partner => {
      if (!row || !counted || row.accountId !== claims.accountId) throw unauthenticated(INVALID_TOKEN);
      const hit = judgeHit(counted, limitsOf(row.plan).publicApiRequestsPerMinute, now);
      pending.hit = hit;
      if (!hit.allowed) throw rateLimited(`rate limit of ${hit.limit} requests per minute exceeded`, hit.retryAfterSeconds);
      return { clientId: row.clientId, accountId: row.accountId, plan: row.plan, scopes: claims.scopes };
    });
  };
  const pending = Object.assign(new PendingCaller(svc.db, claims.accountId, confirmation), {
    scopes: claims.scopes,
    hit: undefined as WindowHit | undefined,
  });
  return pending;
}
