import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { paths } from '../../examples/partner/schema.js';
import { MAX_REQUEST_BODY_BYTES } from '../../src/http/body-limit.js';
import type { AppRouter } from '../../src/spa.js';
import { accessToken, api, basic, partnerOf, tokenRequest } from '../public/support.js';
import { ORIGIN, startTestApp, type TestApp } from '../support/harness.js';

/**
 * Every door's error bodies, read through the clients that use them: @trpc/client for /internal
 * (as the SPA), plain JSON for /auth, openapi-fetch on the committed openapi.json for /api/v1
 * (as a partner), and RFC 6749 §5.2 bodies for /oauth/token.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const site = { name: 'API', url: 'https://api.example.com/health' };

type Failure = { message: string; data: Record<string, unknown> & { code: string; httpStatus: number } };
async function failure(p: Promise<unknown>): Promise<Failure> {
  const error = await p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as Failure;
}

/** A tRPC client as the SPA builds it, but sending a given Origin (and the user's session cookie). */
function spaFrom(origin: string | null, cookie: string, batch: boolean) {
  const link = (batch ? httpBatchLink : httpLink)({
    url: `${t.baseUrl}/internal`,
    headers: () => ({ cookie, ...(origin ? { origin } : {}) }),
  });
  return createTRPCClient<AppRouter>({ links: [link] });
}

describe('/internal through @trpc/client: the shell refuses in tRPC’s shape', () => {
  it('a foreign Origin arrives as FORBIDDEN naming the origin and APP_ORIGINS, batched or not', async () => {
    const user = await t.signUp();
    const cookie = `vigil_session=${user.jar.get('vigil_session')}`;
    for (const batch of [true, false]) {
      const error = await failure(spaFrom('http://evil.test', cookie, batch).monitors.create.mutate(site));
      expect(error.data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403, appCode: 'FORBIDDEN' });
      expect(error.message).toContain('http://evil.test');
      expect(error.message).toContain('APP_ORIGINS');
    }
    const missing = await failure(spaFrom(null, cookie, false).monitors.create.mutate(site));
    expect(missing.data.code).toBe('FORBIDDEN');
    expect(missing.message).toContain('without an Origin');
    expect(await user.monitors.list.query()).toEqual({ items: [], nextCursor: null, changesCursor: expect.any(String) });
  });

  it('a body over the limit arrives as PAYLOAD_TOO_LARGE (413)', async () => {
    const user = await t.signUp();
    const error = await failure(user.monitors.create.mutate({ ...site, name: 'x'.repeat(MAX_REQUEST_BODY_BYTES) }));
    expect(error.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, appCode: 'PAYLOAD_TOO_LARGE' });
    expect(error.message).toContain(String(MAX_REQUEST_BODY_BYTES));
  });

  it('bad JSON and unknown procedures are answered in tRPC’s shape, never as a bare body', async () => {
    const bad = await t.fetch('/internal/auth.login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { message: expect.stringContaining('input must be JSON'), data: { code: 'BAD_REQUEST', httpStatus: 400, appCode: 'BAD_INPUT' } },
    });
    const unknown = await t.fetch('/internal/monitors.explode');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { data: { code: 'NOT_FOUND', appCode: 'NOT_FOUND' } } });
  });
});

describe('/internal through @trpc/client: what the SPA can act on is in data', () => {
  it('every rule about one field comes back once, naming the field', async () => {
    const strict = await startTestApp({ env: { ALLOW_PRIVATE_TARGETS: 'false' } });
    try {
      const c = await strict.signUp();
      const privateUrl = await failure(c.monitors.create.mutate({ ...site, url: 'http://127.0.0.1:8080/' }));
      expect(privateUrl.data).toMatchObject({ code: 'BAD_REQUEST', appCode: 'BAD_INPUT' });
      // Locally (NODE_ENV=test) the refusal names the setting that allows it.
      expect(privateUrl.data.fieldErrors).toEqual([
        { path: 'url', message: 'points to a private or loopback address (127.0.0.1); set ALLOW_PRIVATE_TARGETS=true to monitor private addresses' },
      ]);
      expect(privateUrl.message).toBe('url: points to a private or loopback address (127.0.0.1); set ALLOW_PRIVATE_TARGETS=true to monitor private addresses');
    } finally {
      await strict.close();
    }
    const c = await t.signUp();
    const head = await failure(c.monitors.create.mutate({ ...site, method: 'HEAD', keyword: 'ok' }));
    expect(head.data.fieldErrors).toEqual([{ path: 'keyword', message: expect.stringContaining('HEAD') }]);
    // 30 breaks two rules (at least 60, a multiple of 60): the form shows the first, once.
    const interval = await failure(c.monitors.create.mutate({ ...site, intervalSeconds: 30 }));
    expect(interval.data.fieldErrors).toEqual([{ path: 'intervalSeconds', message: 'must be at least 60' }]);
    expect(interval.message).toBe('intervalSeconds: must be at least 60');
  });

  it('a plan limit carries { plan, limit, current }, and the field that met it', async () => {
    const c = await t.signUp();
    const error = await failure(c.monitors.create.mutate({ ...site, intervalSeconds: 60 }));
    expect(error.data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403, appCode: 'LIMIT', limit: { plan: 'free', limit: 300, current: 60 } });
    // The form shows the refusal beside the interval, not only at the top.
    expect(error.data.fieldErrors).toEqual([{ path: 'intervalSeconds', message: expect.stringContaining('at the shortest') }]);
  });

  it('429 carries retryAfterSeconds, which @trpc/client cannot read from the header', async () => {
    const email = `throttled-${Date.now()}@example.com`;
    const anon = t.client();
    let last: Failure | undefined;
    for (let i = 0; i < 6; i++) last = await failure(anon.auth.login.mutate({ email, password: 'wrong password here' }));
    expect(last!.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429, appCode: 'RATE_LIMITED' });
    expect(last!.data.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('a signed-out call is UNAUTHORIZED with appCode UNAUTHENTICATED, and the 401 says how to sign in', async () => {
    const error = await failure(t.client().monitors.list.query());
    expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401, appCode: 'UNAUTHENTICATED' });
    const res = await t.fetch('/internal/monitors.list');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Cookie realm="vigil", form-action="/auth/login", cookie-name="vigil_session"');
  });

  it('unknown keys are refused by name and wrong types name the type expected', async () => {
    const c = await t.signUp();
    const typo = await failure(c.monitors.create.mutate({ ...site, intervalSecs: 60 } as typeof site));
    expect(typo.data).toMatchObject({ appCode: 'BAD_INPUT', fieldErrors: [{ path: 'intervalSecs', message: 'unknown field; did you mean intervalSeconds?' }] });
    const wrong = await t.fetch('/internal/auth.login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":5,"password":"a long password"}' });
    expect(((await wrong.json()) as { error: { data: { fieldErrors: unknown } } }).error.data.fieldErrors).toEqual([{ path: 'email', message: 'must be a string, not a number' }]);
    const rest = await t.fetch('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a@example.com","password":"a long password","remember":true}' });
    expect(rest.status).toBe(400);
    expect(await rest.json()).toMatchObject({ error: 'bad_request', fieldErrors: [{ path: 'remember', message: expect.stringContaining('unknown field') }] });
  });
});

describe('/auth (REST): { error, message } with the same details', () => {
  const post = (path: string, body: unknown, origin: string | null = ORIGIN) =>
    t.fetch(path, { method: 'POST', origin, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('names bad fields once, refuses a foreign Origin by name, and has its own 404', async () => {
    const bad = await post('/auth/register', { email: 'not-an-email', password: 'correct horse battery' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'bad_request', fieldErrors: [{ path: 'email', message: expect.any(String) }] });
    const foreign = await post('/auth/login', { email: 'a@example.com', password: 'whatever it is' }, 'http://evil.test');
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({ error: 'forbidden', message: 'origin http://evil.test may not call this API; APP_ORIGINS lists the allowed origins' });
    const none = await post('/auth/nowhere', {});
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ error: 'not_found', message: 'no route for POST /auth/nowhere' });
  });

  it('429 carries retryAfterSeconds in the body and Retry-After in the header', async () => {
    const email = `rest-throttled-${Date.now()}@example.com`;
    let res: Response | undefined;
    for (let i = 0; i < 6; i++) res = await post('/auth/login', { email, password: 'wrong password here' });
    expect(res!.status).toBe(429);
    const body = (await res!.json()) as { error: string; retryAfterSeconds: number };
    expect(body.error).toBe('too_many_requests');
    expect(body.retryAfterSeconds).toBe(Number(res!.headers.get('retry-after')));
  });
});

describe('/api/v1 through openapi-fetch: the documented error body', () => {
  it('bad parameters list each field in issues; unknown routes, writes and missing tokens keep the same shape', async () => {
    const token = await accessToken(t, await partnerOf(t));
    const partner = createClient<paths>({ baseUrl: `${t.baseUrl}/api/v1`, headers: { authorization: `Bearer ${token}` } });
    const { error, response } = await partner.GET('/monitors', { params: { query: { limit: 0 } } });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('limit: '), issues: [{ path: 'limit', message: expect.any(String) }] });

    const missing = await partner.GET('/monitors/{id}', { params: { path: { id: 'mon_nothere' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toEqual({ code: 'NOT_FOUND', message: 'monitor not found', issues: [] });

    const nowhere = await api(t, '/nowhere', token);
    expect(nowhere.status).toBe(404);
    expect(await nowhere.json()).toMatchObject({ code: 'NOT_FOUND', issues: [] });
    const write = await api(t, '/monitors', token, { method: 'POST' });
    expect(write.status).toBe(405);
    expect(await write.json()).toEqual({ code: 'METHOD_NOT_SUPPORTED', message: 'the public API is read-only', issues: [] });
    const anonymous = await api(t, '/monitors', null);
    expect(await anonymous.json()).toEqual({ code: 'UNAUTHORIZED', message: expect.stringContaining('bearer'), issues: [] });
  });

  it('429 carries retryAfterSeconds in the body and Retry-After in the header', async () => {
    const p = await partnerOf(t);
    const token = await accessToken(t, p);
    let res: Response | undefined;
    for (let i = 0; i < 61 && res?.status !== 429; i++) res = await api(t, '/monitors', token);
    expect(res!.status).toBe(429);
    const body = (await res!.json()) as { code: string; retryAfterSeconds: number };
    expect(body.code).toBe('TOO_MANY_REQUESTS');
    expect(body.retryAfterSeconds).toBe(Number(res!.headers.get('retry-after')));
  });
});

describe('/oauth/token: RFC 6749 §5.2 bodies', () => {
  it('its own 404 and 413 are OAuth errors', async () => {
    const none = await t.fetch('/oauth/authorize', { origin: null });
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ error: 'invalid_request' });
    const big = await tokenRequest(t, { grant_type: 'client_credentials', pad: 'x'.repeat(MAX_REQUEST_BODY_BYTES) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('bytes') });
  });
});

describe('a database that is down: 503 with retryAfterSeconds, in each door’s shape', () => {
  it('tRPC, REST, public and OAuth', async () => {
    const down = await startTestApp();
    const p = await partnerOf(down);
    const token = await accessToken(down, p);
    down.svc.db.$client.close();

    const spa = await failure(p.user.monitors.list.query());
    expect(spa.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503, appCode: 'UNAVAILABLE', retryAfterSeconds: 2 });

    const rest = await down.fetch('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: p.user.email, password: p.user.password }) });
    expect(rest.status).toBe(503);
    expect(await rest.json()).toMatchObject({ error: 'service_unavailable', retryAfterSeconds: 2 });

    const partner = await api(down, '/monitors', token);
    expect(partner.status).toBe(503);
    expect(await partner.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 2, issues: [] });

    const oauth = await tokenRequest(down, { grant_type: 'client_credentials' }, { authorization: basic(p.clientId, p.clientSecret) });
    expect(oauth.status).toBe(503);
    expect(oauth.headers.get('retry-after')).toBe('2');
    expect(await oauth.json()).toMatchObject({ error: 'temporarily_unavailable' });
    await down.close().catch(() => undefined);
  });
});

describe('the operator CLI', () => {
  it('plan:set prints a refusal as one clean line and exits 1', async () => {
    const run = promisify(execFile);
    const result = await run(process.execPath, ['--import', 'tsx', 'scripts/plan-set.ts', 'nobody@example.com', 'solo'], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: t.svc.config.databaseUrl },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('nobody@example.com: user with email nobody@example.com not found');
  });
});
