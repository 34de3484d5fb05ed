import type { TRPCError } from '@trpc/server';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { createOpenApiFetchHandler } from 'trpc-to-openapi';
import { BODY_TOO_LARGE, limitBody } from '../http/body-limit.js';
import { clientIp } from '../http/client-ip.js';
import type { ApiServices } from '../services.js';
import { logInternalError, retryAfterHeaders } from '../trpc.js';
import { bearerAuth, REALM, type PartnerEnv } from './bearer.js';
import { docsRoutes } from './docs.js';
import { procedureErrorBody, publicDoorError, publicErrorBody } from './error-body.js';
import { oauthDoorError, oauthError } from './oauth-errors.js';
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

/** In order: nothing writes; the docs are open; everything else needs a bearer token and counts against the plan (bearer.ts). */
function restDoor(svc: ApiServices): Hono<PartnerEnv> {
  const door = new Hono<PartnerEnv>().onError(publicDoorError(svc.log));
  door.use('*', async (c, next) => {
    if (!['GET', 'HEAD'].includes(c.req.method)) {
      return c.json(publicErrorBody('METHOD_NOT_SUPPORTED', 'the public API is read-only'), 405, { Allow: 'GET, HEAD' });
    }
    await next();
  });
  door.use('*', limitBody((c) => c.json(publicErrorBody('PAYLOAD_TOO_LARGE', BODY_TOO_LARGE), 413)));
  door.route('/', docsRoutes(svc));
  door.use('*', bearerAuth(svc));
  door.all('*', async (c) => {
    let failure: TRPCError | undefined;
    const res = await createOpenApiFetchHandler({
      endpoint: '/api/v1',
      req: c.req.raw,
      router: publicRouter,
      createContext: ({ req, resHeaders }) => ({ svc, req, resHeaders, ip: clientIp(c), session: null, partner: c.get('partner') }),
      responseMeta: ({ errors }) => retryAfterHeaders(errors),
      onError: ({ error, path }) => {
        failure = error;
        logInternalError(svc, error, `public ${path ?? '?'}`);
      },
    });
    if (res.status === 403) res.headers.set('WWW-Authenticate', `Bearer ${REALM}, error="insufficient_scope", scope="monitors:read"`);
    if (res.ok || !failure) return res;
    // The body comes from the error itself, never from re-reading trpc-to-openapi's JSON.
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    return c.json(procedureErrorBody(failure), res.status as ContentfulStatusCode, Object.fromEntries(headers));
  });
  return door;
}
