import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Hono, type MiddlewareHandler } from 'hono';
import { createOpenApiFetchHandler } from 'trpc-to-openapi';
import { clientIp } from '../http/client-ip.js';
import { apiError } from '../http/errors.js';
import { logInternalError, retryAfterHeaders } from '../http/trpc-errors.js';
import { verifyAccessToken } from '../auth/tokens.js';
import type { PlanName } from '../db/schema.js';
import { limitsOf } from '../domain/plans.js';
import { hitWindow } from '../domain/rate-limit.js';
import { activeClient } from '../oauth/clients.js';
import { requireKeys, type Services } from '../services.js';
import type { Partner } from '../trpc.js';
import { publicOpenApiDocument } from './openapi.js';
import { publicRouter } from './router.js';
import { tokenEndpoint } from './token.js';

type Env = { Variables: { partner: Partner; plan: PlanName } };

const REALM = 'realm="vigil-api"';

/** Mounts the partners' API: POST /oauth/token and the read-only REST routes under /api/v1. */
export function mountPublic(root: Hono, svc: Services): void {
  // A typed sub-app so the auth middleware's variables reach the handlers; Hono copies its routes on route().
  const app = new Hono<Env>();
  app.post('/oauth/token', tokenEndpoint(svc));
  app.all('/oauth/token', (c) =>
    c.json({ error: 'invalid_request', error_description: 'use POST' }, 405, { Allow: 'POST' }),
  );

  // Nothing under /api/v1 writes: any other method is refused before anything else runs.
  app.use('/api/v1/*', async (c, next) => {
    if (!['GET', 'HEAD'].includes(c.req.method)) {
      return c.json(apiError('METHOD_NOT_SUPPORTED', 'the public API is read-only'), 405, { Allow: 'GET, HEAD' });
    }
    await next();
  });

  let openapi: string | undefined;
  app.get('/api/v1/openapi.json', (c) => {
    openapi ??= JSON.stringify(publicOpenApiDocument(svc.config.publicBaseUrl));
    return c.body(openapi, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' });
  });
  app.get('/api/v1/docs', (c) => c.html(DOCS_PAGE, 200, { 'Cache-Control': 'public, max-age=300' }));
  app.get('/api/v1/docs/:asset{swagger-ui-bundle\\.js|swagger-ui\\.css}', async (c) => {
    const asset = c.req.param('asset');
    const body = await docsAsset(asset);
    if (!body) return c.json(apiError('NOT_FOUND', 'docs assets are not bundled here'), 404);
    const type = asset.endsWith('.css') ? 'text/css' : 'text/javascript';
    return c.body(body, 200, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'public, max-age=86400' });
  });

  app.use('/api/v1/*', bearerAuth(svc), rateLimit(svc));
  app.all('/api/v1/*', async (c) => {
    const res = await createOpenApiFetchHandler({
      endpoint: '/api/v1',
      req: c.req.raw,
      router: publicRouter,
      createContext: ({ req, resHeaders }) => ({ svc, req, resHeaders, ip: clientIp(c), user: null, partner: c.get('partner') }),
      responseMeta: ({ errors }) => retryAfterHeaders(errors),
      onError: ({ error, path }) => logInternalError(svc, error, `public ${path ?? '?'}`),
    });
    if (res.status === 403) res.headers.set('WWW-Authenticate', `Bearer ${REALM}, error="insufficient_scope", scope="monitors:read"`);
    return res.ok ? res : documentedError(res);
  });
  root.route('/', app);
}

type HandlerError = { message?: string; code?: string; issues?: { path?: PropertyKey[]; message: string }[] };

/**
 * trpc-to-openapi answers a validation error with "Input validation failed" and passes tRPC's
 * internal `data` through; partners get the documented shape instead, the message naming the fields.
 */
async function documentedError(res: Response): Promise<Response> {
  const body = (await res.json().catch(() => ({}))) as HandlerError;
  const issues = (body.issues ?? []).map((i) => ({ message: i.path?.length ? `${i.path.join('.')}: ${i.message}` : i.message }));
  const message = issues.length ? issues.map((i) => i.message).join('; ') : (body.message ?? 'request failed');
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return Response.json({ message, code: body.code ?? 'INTERNAL_SERVER_ERROR', issues }, { status: res.status, headers });
}

/** RFC 6750: a valid, unexpired access token of a client that is still active. */
function bearerAuth(svc: Services): MiddlewareHandler<Env> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
    if (!match) {
      return c.json(apiError('UNAUTHORIZED', 'a bearer access token is required; get one at POST /oauth/token'), 401, {
        'WWW-Authenticate': `Bearer ${REALM}`,
      });
    }
    const claims = await verifyAccessToken(requireKeys(svc), match[1]!, svc.now());
    // Revocation takes effect at once: the client must still be active on every request.
    const client = claims ? await activeClient(svc, claims.clientId) : null;
    if (!claims || !client || client.accountId !== claims.accountId) {
      return c.json(apiError('UNAUTHORIZED', 'the access token is invalid, expired or revoked'), 401, {
        'WWW-Authenticate': `Bearer ${REALM}, error="invalid_token"`,
      });
    }
    c.set('partner', { clientId: client.clientId, accountId: client.accountId, scopes: claims.scopes });
    c.set('plan', client.plan);
    await next();
  };
}

/** Per account, by plan, counted in the database so every Lambda instance shares the window. */
function rateLimit(svc: Services): MiddlewareHandler<Env> {
  return async (c, next) => {
    const partner = c.get('partner');
    const plan = c.get('plan');
    const hit = await hitWindow(svc.db, `api:${partner.accountId}`, limitsOf(plan).publicApiRequestsPerMinute, 60_000, svc.now());
    const headers = {
      'X-RateLimit-Limit': String(hit.limit),
      'X-RateLimit-Remaining': String(hit.remaining),
      'X-RateLimit-Reset': String(Math.ceil(hit.resetAt / 1000)),
    };
    if (!hit.allowed) {
      return c.json(apiError('TOO_MANY_REQUESTS', `rate limit of ${hit.limit} requests per minute exceeded`), 429, {
        ...headers,
        'Retry-After': String(hit.retryAfterSeconds),
      });
    }
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  };
}

const assets = new Map<string, Promise<string | null>>();

/** Swagger UI comes from the installed swagger-ui-dist package, read once, never from a CDN. */
function docsAsset(name: string): Promise<string | null> {
  let asset = assets.get(name);
  if (!asset) {
    asset = Promise.resolve()
      .then(() => createRequire(import.meta.url).resolve(`swagger-ui-dist/${name}`))
      .then((path) => readFile(path, 'utf8'))
      .catch(() => null);
    assets.set(name, asset);
  }
  return asset;
}

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Vigil public API</title>
  <link rel="stylesheet" href="/api/v1/docs/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="/api/v1/docs/swagger-ui-bundle.js"></script>
  <script>window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#docs' });</script>
</body>
</html>`;
