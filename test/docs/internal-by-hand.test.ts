import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';

/**
 * docs/API.md, "Calling /internal by hand": the very requests it shows, made as curl makes them
 * (a cookie jar, the Origin on writes, POST with a JSON body, GET with ?input=), answering what it says.
 */
let t: TestApp;
let jar = '';
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  t = await startTestApp();
  rememberSecret('a long password');
  await t.fetch('/auth/register', { method: 'POST', headers: json, body: JSON.stringify({ email: 'me@example.com', password: 'a long password' }) });
});
afterAll(() => t.close());

const post = (path: string, body: unknown, origin: string | null = ORIGIN) =>
  t.fetch(path, { method: 'POST', origin, headers: { ...json, cookie: jar }, body: JSON.stringify(body) });
const get = (path: string) => t.fetch(path, { origin: null, headers: { cookie: jar } });

describe('calling /internal by hand', () => {
  it('signs in into a cookie jar', async () => {
    const res = await post('/auth/login', { email: 'me@example.com', password: 'a long password' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { email: 'me@example.com', plan: 'free', role: 'owner' } });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('vigil_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Secure/);
    jar = cookie.split(';')[0]!;
  });

  it('a mutation is a POST with the JSON input as its body, answering {"result":{"data":…}}', async () => {
    const res = await post('/internal/monitors.create', { name: 'site', url: 'https://example.com' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ result: { data: { id: expect.stringMatching(/^mon_/), kind: 'http', name: 'site', status: 'pending' } } });
  });

  it('a write without the Origin header is 403', async () => {
    const res = await post('/internal/monitors.create', { name: 'site', url: 'https://example.com' }, null);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { data: { httpStatus: 403, appCode: 'FORBIDDEN' } } });
  });

  it('a query is a GET with ?input=, and without it when it takes none; no Origin needed', async () => {
    const list = await get(`/internal/monitors.list?input=${encodeURIComponent('{"limit":10}')}`);
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ result: { data: { items: [{ id: expect.stringMatching(/^mon_/) }], nextCursor: null } } });
    const account = await get('/internal/account.get');
    expect(account.status).toBe(200);
    expect(await account.json()).toMatchObject({ result: { data: { plan: 'free' } } });
  });

  it('errors: an unknown field is a 400 naming it, no session a 401, in tRPC’s shape with appCode', async () => {
    const typo = await post('/internal/monitors.create', { name: 'site', url: 'https://example.com', intervalSecs: 60 });
    expect(typo.status).toBe(400);
    expect(await typo.json()).toEqual({
      error: {
        message: 'intervalSecs: unknown field; did you mean intervalSeconds?',
        code: -32600,
        data: {
          code: 'BAD_REQUEST',
          httpStatus: 400,
          path: 'monitors.create',
          appCode: 'BAD_INPUT',
          fieldErrors: [{ path: 'intervalSecs', message: 'unknown field; did you mean intervalSeconds?' }],
        },
      },
    });
    const anonymous = await t.fetch('/internal/monitors.list', { origin: null });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { message: 'sign in required', data: { appCode: 'UNAUTHENTICATED' } } });
  });

  it('queries batch as the guide says', async () => {
    const res = await get(`/internal/account.get,monitors.list?batch=1&input=${encodeURIComponent('{"1":{"limit":1}}')}`);
    expect(res.status).toBe(200);
    const [account, list] = (await res.json()) as [{ result: { data: unknown } }, { result: { data: { items: unknown[] } } }];
    expect(account.result.data).toMatchObject({ plan: 'free' });
    expect(list.result.data.items).toHaveLength(1);
  });
});
