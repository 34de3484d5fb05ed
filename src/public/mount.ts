import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { BODY_TOO_LARGE, limitBody } from '../http/body-limit.js';
import { clientIp } from '../http/client-ip.js';
import type { ApiServices } from '../services.js';
import { logInternalError, retryAfterHeaders, type Context } from '../trpc.js';
import { bearerAuth, REALM, type PartnerEnv } from './bearer.js';
import { procedureErrorBody, publicDoorError, publicErrorBody } from './error-body.js';
import { oauthDoorError, oauthError } from './oauth-errors.js';
import { restAdapter } from './rest-adapter.js';
import { publicRouter } from './router.js';
import { tokenEndpoint } from './token.js';

/** The partners' API, two doors: POST /oauth/token (RFC 6749 errors) and the read-only REST routes under /api/v1. */
export function mountPublic(root: Hono, svc: ApiServices): void {
  root.route('/oauth', oauthDoor(svc));
  root.route('/api/v1', restDoor(svc));
}

function oauthDoor(svc: ApiServices): Hono {
  return new Hono()
    .onError(oauthDoorError(svc.log))
    .use('*', limitBody((c) => oauthError(c, 'invalid_request', BODY_TOO_LARGE, 413)))
    .post('/token', tokenEndpoint(svc))
    .all('/token', (c) => oauthError(c, 'invalid_request', 'use POST', 405, { Allow: 'POST' }))
    .all('*', (c) => oauthError(c, 'invalid_request', `no route for ${c.req.method} ${c.req.path}`, 404));
}

/**
 * In order: nothing writes; everything needs a bearer token and counts against the plan, in the
 * read's own batch (bearer.ts). The docs are mounted apart (docs.ts).
 */
function restDoor(svc: ApiServices): Hono<PartnerEnv> {
  const door = new Hono<PartnerEnv>().onError(publicDoorError(svc.log));
  door.use('*', async (c, next) => {
    if (!['GET', 'HEAD'].includes(c.req.method)) {
      return c.json(publicErrorBody('METHOD_NOT_SUPPORTED', 'the public API is read-only'), 405, { Allow: 'GET, HEAD' });
    }
    await next();
  });
  door.use('*', limitBody((c) => c.json(publicErrorBody('PAYLOAD_TOO_LARGE', BODY_TOO_LARGE), 413)));
  door.use('*', bearerAuth(svc));
  const rest = restAdapter(publicRouter, '/api/v1');
  door.all('*', async (c) => {
    const resHeaders = new Headers();
    const ctx: Context = { svc, req: c.req.raw, resHeaders, ip: clientIp(c), session: null, partner: c.get('partner') };
    const result = await rest(c.req.raw, ctx);
    for (const [k, v] of resHeaders) c.header(k, v, { append: true });
    if (result.ok) return c.json(result.data, 200);
    const { error, path } = result;
    logInternalError(svc, error, `public ${path ?? '?'}`);
    const status = getHTTPStatusCodeFromError(error) as ContentfulStatusCode;
    if (status === 401) c.header('WWW-Authenticate', `Bearer ${REALM}, error="invalid_token"`);
    if (status === 403) c.header('WWW-Authenticate', `Bearer ${REALM}, error="insufficient_scope", scope="monitors:read"`);
    return c.json(procedureErrorBody(error), status, retryAfterHeaders([error]).headers);
  });
  return door;
}
