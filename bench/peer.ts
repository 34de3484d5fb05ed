import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { verifyAccessToken } from '../src/auth/tokens.js';
import { hitWindow } from '../src/db/rate-limit.js';
import { rateLimited, unauthenticated } from '../src/domain/errors.js';
import { limitsOf, type PlanName } from '../src/domain/plans.js';
import { listMonitors } from '../src/monitors/reads.js';
import { MONITOR_STATUSES, publicMonitor, toPublicMonitor } from '../src/monitors/wire.js';
import { activeClient } from '../src/oauth/clients.js';
import { publicErrorResponse } from '../src/public/error-body.js';
import type { ApiServices } from '../src/services.js';

/**
 * The peer a user would pick instead (issue 19): `GET /api/v1/monitors` built the way OpenStatus
 * builds its public REST API (apps/server): an `OpenAPIHono` app, one `createRoute` per endpoint with
 * zod schemas for the query and the response, an auth middleware and a rate-limit middleware in front,
 * and a handler that runs one drizzle query and returns `c.json(Schema.parse(rows))`.
 *
 * A fair peer does the work ours does, the straightforward way, one await after the other: verify
 * the access-token JWT (jose), read the OAuth client row (revocation stays immediate), count the
 * request in `rate_limits` with the same upsert, then the same list query. Three round trips.
 */
type PeerEnv = { Variables: { accountId: string; plan: PlanName } };

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/monitors',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: z.string().max(200).optional(),
      status: z.enum(MONITOR_STATUSES).optional(),
      tag: z.string().trim().min(1).max(32).optional(),
      search: z.string().trim().min(1).max(100).optional(),
    }),
  },
  responses: {
    200: {
      description: 'The account’s monitors, oldest first',
      content: { 'application/json': { schema: z.object({ items: z.array(publicMonitor), nextCursor: z.string().nullable(), data: z.array(publicMonitor) }) } },
    },
  },
});
const listResponse = listRoute.responses[200].content['application/json'].schema;

export function createPeerApp(svc: ApiServices): OpenAPIHono<PeerEnv> {
  const app = new OpenAPIHono<PeerEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return c.json({ message: 'invalid query', code: 'BAD_REQUEST', issues: result.error.issues }, 400);
    },
  });
  app.use('/api/v1/*', async (c, next) => {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec((c.req.header('authorization') ?? '').trim());
    const claims = match ? await verifyAccessToken(svc.keys, match[1]!, svc.now()) : null;
    const client = claims ? await activeClient(svc, claims.clientId) : null;
    if (!claims || !client || client.accountId !== claims.accountId) return publicErrorResponse(c, unauthenticated('invalid token'));
    c.set('accountId', client.accountId);
    c.set('plan', client.plan);
    await next();
  });
  app.use('/api/v1/*', async (c, next) => {
    const limit = limitsOf(c.get('plan')).publicApiRequestsPerMinute;
    const hit = await hitWindow(svc.db, `api:${c.get('accountId')}`, limit, 60_000, svc.now());
    if (!hit.allowed) return publicErrorResponse(c, rateLimited('rate limit exceeded', hit.retryAfterSeconds));
    await next();
    c.res.headers.set('X-RateLimit-Limit', String(hit.limit));
    c.res.headers.set('X-RateLimit-Remaining', String(hit.remaining));
    c.res.headers.set('X-RateLimit-Reset', String(Math.ceil(hit.resetAt / 1000)));
  });
  app.openapi(listRoute, async (c) => {
    const { items, nextCursor } = await listMonitors(svc, c.get('accountId'), c.req.valid('query'));
    // The page shape ours answers (items, and data as its deprecated twin); a next page's cursor is
    // not sealed here, and the bench's single page has none.
    const page = items.map((m) => toPublicMonitor(m, c.get('plan')));
    return c.json(listResponse.parse({ items: page, nextCursor, data: page }), 200);
  });
  return app;
}
