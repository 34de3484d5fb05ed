import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BODY_BYTES as MAX_BODY_BYTES } from '../../src/http/body-limit.js';
import { appRouter } from '../../src/routers/index.js';
import { CookieJar, ORIGIN, startTestApp, type TestApp } from '../support/harness.js';
import { accessToken, basic, partnerOf } from '../public/support.js';
import { leaksInternals, reportFigures } from './figures.js';

let t: TestApp;
let cookie: string;
let bearer: string;
let client: { clientId: string; clientSecret: string };
const statuses = new Map<number, number>();
let requests = 0;

beforeAll(async () => {
  t = await startTestApp();
  const p = await partnerOf(t);
  cookie = `vigil_session=${p.user.jar.get('vigil_session')}`;
  client = p;
  bearer = await accessToken(t, p);
  // Enough public API headroom for the fuzzing below: the limit itself is tested elsewhere.
  await t.svc.db.$client.execute({ sql: "update accounts set plan = 'team' where id = ?", args: [p.user.user.accountId] });
});
afterAll(async () => {
  reportFigures('bad-input', { requests, statuses: Object.fromEntries([...statuses].sort()) });
  await t.close();
});

/** Every answer to bad input: below 500, no internals, and a message a person can read. */
async function expectClean(res: Response, what: string): Promise<void> {
  requests++;
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const body = await res.text();
  expect(res.status, `${what} → ${res.status} ${body.slice(0, 300)}`).toBeLessThan(500);
  expect(leaksInternals(body), `${what} leaked: ${body.slice(0, 300)}`).toBe(false);
  if (res.status >= 400 && res.status !== 431) {
    const parsed = JSON.parse(body) as { message?: string; error?: { message?: string } | string; error_description?: string };
    const message = parsed.error_description ?? (typeof parsed.error === 'object' ? parsed.error.message : undefined) ?? parsed.message;
    expect(typeof message === 'string' && message.length > 0, `${what} has no message: ${body.slice(0, 200)}`).toBe(true);
  }
}

const KEYS = ['name', 'url', 'method', 'intervalSeconds', 'timeoutMs', 'expectedStatusCodes', 'keyword', 'paused', 'id', 'limit', 'cursor', 'status', 'email', 'password', 'clientId', '__proto__', 'constructor'];
const nasty = fc.constantFrom(
  '', ' ', '\u0000', '\u202e\u0041', '\ud800', 'ａｄｍｉｎ@ｅｘａｍｐｌｅ.com', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>',
  `mon_${'a'.repeat(200)}`, 'http://169.254.169.254/latest/meta-data/', 'javascript:alert(1)', 'http://user:pass@example.com/',
  'x'.repeat(5000), '1e309', '-0', 'NaN', '{"$ne":null}', '%00', 'GET', 'mon_', 'cli_', 'https://example.com/' + '%'.repeat(3),
);
const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 }), nasty, fc.double(), fc.bigInt().map(String));
const input = fc.oneof(value, fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 }));

// logout ends the session the fuzzing needs; it takes no input anyway.
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
  .filter(([path]) => !['auth.logout', 'auth.logoutEverywhere'].includes(path))
  .map(([path, p]) => ({ path, type: p._def.type }));

function callProcedure(path: string, type: string, data: unknown): Promise<Response> {
  const headers = { cookie, 'content-type': 'application/json' };
  if (type === 'query') {
    const query = data === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(data))}`;
    return t.fetch(`/internal/${path}${query}`, { headers });
  }
  return t.fetch(`/internal/${path}`, { method: 'POST', headers, body: JSON.stringify(data) });
}

describe('bad input at every door', () => {
  it('every tRPC procedure', async () => {
    expect(procedures.length).toBeGreaterThanOrEqual(12);
    for (const { path, type } of procedures) {
      await fc.assert(
        fc.asyncProperty(input, async (data) => expectClean(await callProcedure(path, type, data), `${path} ${JSON.stringify(data)?.slice(0, 100)}`)),
        { numRuns: 60 },
      );
    }
  }, 120_000);

  it('the REST auth routes, with JSON and with garbage', async () => {
    const body = fc.oneof(input.map((v) => JSON.stringify(v)), fc.string({ unit: 'binary', maxLength: 500 }));
    for (const path of ['/auth/register', '/auth/login', '/auth/logout']) {
      await fc.assert(
        fc.asyncProperty(body, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''), async (b, type) =>
          expectClean(await t.fetch(path, { method: 'POST', headers: type ? { 'content-type': type } : {}, body: b }), `${path} ${b.slice(0, 80)}`),
        ),
        { numRuns: 30 },
      );
    }
  }, 120_000);

  it('the token endpoint, with any form and any Authorization header', async () => {
    const param = fc.constantFrom('grant_type', 'scope', 'client_id', 'client_secret', 'code', 'grant_type');
    const form = fc.array(fc.tuple(param, fc.oneof(fc.constantFrom('client_credentials', 'monitors:read', client.clientId, client.clientSecret), fc.string({ unit: 'binary', maxLength: 100 }), nasty)), { maxLength: 5 });
    const auth = fc.oneof(
      fc.constant(undefined),
      fc.constant(basic(client.clientId, client.clientSecret)),
      fc.string({ unit: 'binary', maxLength: 100 }).map((s) => `Basic ${s}`),
      fc.string({ maxLength: 100 }).map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
      fc.string({ maxLength: 100 }).map((s) => `Bearer ${s}`),
    );
    await fc.assert(
      fc.asyncProperty(form, auth, async (pairs, authorization) => {
        const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
        // Header values must be ByteStrings; drop the ones fetch itself would refuse to send.
        if (authorization && /^[\x20-\x7e]*$/.test(authorization)) headers.authorization = authorization;
        const res = await t.fetch('/oauth/token', { method: 'POST', origin: null, headers, body: new URLSearchParams(pairs) });
        await expectClean(res, `token ${JSON.stringify(pairs).slice(0, 100)}`);
        // Clean up the per-client window so the throttle does not mask the cases after it.
        await t.svc.db.$client.execute("delete from rate_limits where key like 'token:%'");
      }),
      { numRuns: 80 },
    );
  }, 120_000);

  it('the public REST routes, with any path segment and query', async () => {
    // A lone surrogate cannot be percent-encoded; send the invalid UTF-8 escape a client could.
    const encode = (v: string) => {
      try {
        return encodeURIComponent(v);
      } catch {
        return '%ED%A0%80';
      }
    };
    const segment = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), nasty, fc.constant('%ED%A0%80')).map(encode);
    const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'status', 'id', 'input'), fc.oneof(fc.string({ maxLength: 60 }), nasty), { maxKeys: 3 });
    const shape = fc.constantFrom('/monitors', '/monitors/{}', '/monitors/{}/checks', '/monitors/{}/incidents', '/{}');
    await fc.assert(
      fc.asyncProperty(shape, segment, query, async (s, seg, q) => {
        const params = Object.entries(q).map(([k, v]) => `${k}=${encode(v)}`).join('&');
        const path = `/api/v1${s.replace('{}', seg)}?${params}`;
        await expectClean(await t.fetch(path, { origin: null, headers: { authorization: `Bearer ${bearer}` } }), path);
      }),
      { numRuns: 120 },
    );
  }, 120_000);

  it(`refuses bodies over ${MAX_BODY_BYTES} bytes with 413 before parsing, announced or streamed`, async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    for (const path of ['/auth/register', '/auth/login', '/internal/monitors.create', '/oauth/token']) {
      const announced = await t.fetch(path, { method: 'POST', origin: path === '/oauth/token' ? null : ORIGIN, headers: { cookie, 'content-type': 'application/json' }, body: big });
      expect(announced.status, path).toBe(413);
      await expectClean(announced, path);
      // Without Content-Length: chunked, counted as it arrives.
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 5; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(MAX_BODY_BYTES / 4)));
          controller.close();
        },
      });
      const chunked = await t.fetch(path, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
      expect(chunked.status, `${path} chunked`).toBe(413);
    }
  });

  it('a signed-out client gets 401, not a parse of its input', async () => {
    const anon = new CookieJar();
    const res = await t.fetch('/internal/monitors.create', { method: 'POST', headers: { 'content-type': 'application/json', cookie: anon.header() }, body: '{"url":' });
    expect(res.status).toBe(401);
    await expectClean(res, 'anonymous create');
  });
});
