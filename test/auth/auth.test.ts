import { hkdfSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken, signSession } from '../../src/auth/tokens.js';
import { LOGIN_LIMITS } from '../../src/auth/login-throttle.js';
import { ORIGIN, startTestApp, TEST_SECRET, type TestApp } from '../support/harness.js';

let t: TestApp;
let fakeNow = Date.now();
beforeAll(async () => {
  t = await startTestApp({ now: () => fakeNow });
});
afterAll(() => t.close());

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const uniqueEmail = () => `u-${Math.random().toString(36).slice(2)}@example.com`;
const PASSWORD = 'correct horse battery';

async function me(cookie: string | null) {
  return t.fetch('/internal/auth.me', { headers: cookie ? { cookie: `vigil_session=${cookie}` } : {} });
}

describe('session lifecycle over tRPC', () => {
  it('register sets no cookie; login sets the session cookie exactly; me works; logout clears it; me is then 401', async () => {
    const email = uniqueEmail();
    const reg = await t.fetch('/internal/auth.register', json({ email, password: PASSWORD }));
    expect(reg.status).toBe(200);
    expect(reg.headers.getSetCookie()).toEqual([]);
    const res = await t.fetch('/internal/auth.login', json({ email, password: PASSWORD }));
    expect(res.status).toBe(200);
    const [cookie] = res.headers.getSetCookie();
    const attrs = cookie!.split(';').map((s) => s.trim());
    const token = attrs[0]!.slice('vigil_session='.length);
    expect(token.split('.')).toHaveLength(3);
    expect(attrs.slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=604800', 'Path=/', 'SameSite=Strict', 'Secure'].sort());
    expect(res.headers.get('cache-control')).toBe('no-store');

    const ok = await me(token);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { result: { data: { email: string; plan: string; id: string } } };
    expect(body.result.data).toMatchObject({ plan: 'free' });
    expect(body.result.data.id).toMatch(/^usr_/);

    const out = await t.fetch('/internal/auth.logout', {
      method: 'POST',
      headers: { cookie: `vigil_session=${token}`, 'content-type': 'application/json' },
    });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()[0]).toMatch(/^vigil_session=; .*Max-Age=0/);

    // The browser drops the cookie: the next call carries none.
    expect((await me(null)).status).toBe(401);
  });

  it('normalises email (trim + lower case) and signs in with it through the typed client', async () => {
    const email = uniqueEmail();
    const c = t.client();
    await c.auth.register.mutate({ email: `  ${email.toUpperCase()} `, password: PASSWORD });
    const again = t.client();
    const { user } = await again.auth.login.mutate({ email, password: PASSWORD });
    expect(user.email).toBe(email);
    expect((await again.auth.me.query()).id).toBe(user.id);
  });

  it('logoutEverywhere revokes every session of the user', async () => {
    const a = await t.signUp();
    const b = t.client();
    await b.auth.login.mutate({ email: a.email, password: a.password });
    const stolen = b.jar.get('vigil_session')!;
    await a.auth.logoutEverywhere.mutate();
    expect((await me(stolen)).status).toBe(401);
    await expect(b.auth.me.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
  });
});

describe('login failures', () => {
  it('answers an unknown email and a wrong password identically, in comparable time', async () => {
    // Two known users, four wrong passwords each (the fifth failure would be throttled), against as
    // many unknown emails, interleaved. Compared by their fastest: the intrinsic cost of each path
    // (one Argon2id verify), which a loaded machine's stalls only ever add to.
    const users = [await t.signUp(), await t.signUp()];
    const attempt = async (email: string) => {
      const start = performance.now();
      const res = await t.fetch('/auth/login', json({ email, password: 'wrong password!' }));
      return { ms: performance.now() - start, status: res.status, body: await res.json() };
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      const k = await attempt(users[i % 2]!.email);
      const n = await attempt(uniqueEmail());
      expect(k.status).toBe(401);
      expect(n.status).toBe(401);
      expect(k.body).toEqual({ error: 'unauthorized', message: 'invalid email or password' });
      expect(n.body).toEqual(k.body);
      known.push(k.ms);
      unknown.push(n.ms);
    }
    const ratio = Math.min(...known) / Math.min(...unknown);
    expect(ratio).toBeGreaterThan(0.33);
    expect(ratio).toBeLessThan(3);
  });

  it('a taken email gets the very answer a new one gets (202, check your email), and no cookie', async () => {
    const u = await t.signUp();
    const taken = await t.fetch('/auth/register', json({ email: u.email, password: 'another password' }));
    const fresh = await t.fetch('/auth/register', json({ email: uniqueEmail(), password: 'another password' }));
    expect([taken.status, fresh.status]).toEqual([202, 202]);
    expect(await taken.json()).toEqual(await fresh.json());
    expect([...taken.headers.getSetCookie(), ...fresh.headers.getSetCookie()]).toEqual([]);
  });

  it.each([
    [{ email: 'not-an-email', password: PASSWORD }, 'email'],
    [{ password: PASSWORD }, 'email'],
    [{ email: uniqueEmail(), password: 'short' }, 'password'],
    [{ email: uniqueEmail(), password: 'x'.repeat(257) }, 'password'],
    [{ email: uniqueEmail(), password: 12345678 }, 'password'],
  ])('400 naming the field for %j', async (body, field) => {
    for (const path of ['/auth/register', '/internal/auth.register']) {
      const res = await t.fetch(path, json(body));
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(text).toContain(field);
      expect(text).not.toMatch(/"stack"|\n\s+at /);
    }
  });

  it('throttles after 5 failures for an email from one address: 429 with a coarse Retry-After until the window passes', async () => {
    const u = await t.signUp();
    for (let i = 0; i < 5; i++) {
      expect((await t.fetch('/auth/login', json({ email: u.email, password: 'wrong password' }))).status).toBe(401);
    }
    for (const path of ['/auth/login', '/internal/auth.login']) {
      const res = await t.fetch(path, json({ email: u.email, password: u.password })); // even the right one
      expect(res.status).toBe(429);
      const retry = Number(res.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(LOGIN_LIMITS.perEmailAndIp.windowMs / 1000);
      expect(retry % 60).toBe(0);
    }
    fakeNow += LOGIN_LIMITS.perEmailAndIp.windowMs + 1000;
    expect((await t.fetch('/auth/login', json({ email: u.email, password: u.password }))).status).toBe(200);
  });

  it('lets at most 5 parallel attempts reach the password check', async () => {
    const u = await t.signUp();
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () => t.fetch('/auth/login', json({ email: u.email, password: 'wrong password' })).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });
});

describe('forged and confused tokens are refused with 401', () => {
  const derive = (secret: string, label: string) =>
    new Uint8Array(hkdfSync('sha256', Buffer.from(secret), 'vigil', label, 32));
  let good: { sub: string; account: string; jti: string };
  beforeAll(async () => {
    const u = await t.signUp();
    const jti = JSON.parse(Buffer.from(u.jar.get('vigil_session')!.split('.')[1]!, 'base64url').toString()) as { jti: string };
    good = { sub: u.user.id, account: u.user.accountId, jti: jti.jti };
  });

  const forge = async (opts: { key?: Uint8Array; typ?: string; aud?: string; iss?: string; exp?: number; iat?: number; sv?: number }) => {
    // The services' clock, not the wall clock: an earlier test moved it (one clock).
    const iat = opts.iat ?? Math.floor(fakeNow / 1000);
    return new SignJWT({ account: good.account, sv: opts.sv ?? 0 })
      .setProtectedHeader({ alg: 'HS256', typ: opts.typ ?? 'vigil-session+jwt' })
      .setSubject(good.sub)
      .setJti(good.jti)
      .setIssuer(opts.iss ?? 'http://vigil.test')
      .setAudience(opts.aud ?? 'vigil-internal')
      .setIssuedAt(iat)
      .setExpirationTime(opts.exp ?? iat + 3600)
      .sign(opts.key ?? derive(TEST_SECRET, 'vigil session v1'));
  };
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

  it('accepts a correctly forged control token (the forgeries below differ in one thing each)', async () => {
    expect((await me(await forge({}))).status).toBe(200);
  });

  it.each([
    ['expired', () => forge({ iat: 1_700_000_000, exp: 1_700_003_600 })],
    ['issued in the future', () => forge({ iat: Math.floor(fakeNow / 1000) + 3600, exp: Math.floor(fakeNow / 1000) + 7200 })],
    ['wrong audience', () => forge({ aud: 'vigil-public-api' })],
    ['wrong issuer', () => forge({ iss: 'http://evil.test' })],
    ['wrong typ', () => forge({ typ: 'at+jwt' })],
    ['another secret', () => forge({ key: derive('another-secret-that-is-32-bytes-long!!', 'vigil session v1') })],
    ['the access-token key', () => forge({ key: derive(TEST_SECRET, 'vigil access token v1') })],
    ['an old session version', () => forge({ sv: 7 })],
    ['tampered payload', async () => {
      const [h, , s] = (await forge({})).split('.');
      return `${h}.${b64({ sub: good.sub, account: 'acc_other', sv: 0, iss: 'http://vigil.test', aud: 'vigil-internal', iat: 1, exp: 9_999_999_999 })}.${s}`;
    }],
    ['alg none', async () =>
      `${b64({ alg: 'none', typ: 'vigil-session+jwt' })}.${b64({ sub: good.sub, account: good.account, sv: 0, iss: 'http://vigil.test', aud: 'vigil-internal', iat: Math.floor(Date.now() / 1000), exp: 9_999_999_999 })}.`],
    ['a real access token', async () =>
      signAccessToken(t.svc.keys!, { clientId: 'cli_x', accountId: good.account, scopes: ['monitors:read'] }, t.svc.now())],
    ['garbage', async () => 'not.a.token'],
  ])('%s', async (_name, make) => {
    const res = await me(await make());
    expect(res.status).toBe(401);
  });

  it('a session token signed by the app for a deleted user is refused', async () => {
    const token = await signSession(t.svc.keys!, { sessionId: 'ses_gone', userId: 'usr_gone', accountId: good.account, sessionVersion: 0 }, t.svc.now());
    expect((await me(token)).status).toBe(401);
  });
});

describe('origin, CORS and transport', () => {
  it('refuses state-changing requests from a foreign or missing Origin with 403', async () => {
    for (const path of ['/internal/auth.login', '/auth/login', '/auth/register', '/internal/monitors.create']) {
      for (const origin of ['http://evil.test', null, 'https://app.test']) {
        const res = await t.fetch(path, { ...json({ email: uniqueEmail(), password: PASSWORD }), origin });
        expect(res.status, `${path} from ${origin}`).toBe(403);
      }
    }
    // Reads need no Origin.
    expect((await t.fetch('/internal/auth.me', { origin: null })).status).toBe(401);
  });

  it('answers CORS preflight for the SPA origin only', async () => {
    const preflight = (origin: string) =>
      t.fetch('/internal/auth.login', {
        method: 'OPTIONS',
        origin,
        headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const ok = await preflight(ORIGIN);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const evil = await preflight('http://evil.test');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('REST auth routes: register 202 without a cookie, login 200, logout clears', async () => {
    const email = uniqueEmail();
    const reg = await t.fetch('/auth/register', json({ email, password: PASSWORD }));
    expect(reg.status).toBe(202);
    expect(reg.headers.getSetCookie()).toEqual([]);
    const login = await t.fetch('/auth/login', json({ email, password: PASSWORD }));
    expect(login.status).toBe(200);
    expect(((await login.json()) as { user: { email: string } }).user.email).toBe(email);
    const out = await t.fetch('/auth/logout', { method: 'POST' });
    expect(out.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);
  });

  it('malformed JSON is 400, a body over 64 KiB is 413, an unknown route is 404 JSON', async () => {
    const bad = await t.fetch('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'bad_request', message: 'request body must be JSON' });
    const big = await t.fetch('/auth/register', json({ email: uniqueEmail(), password: 'x'.repeat(70_000) }));
    expect(big.status).toBe(413);
    const none = await t.fetch('/nowhere');
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ error: 'not_found', message: 'no route for GET /nowhere' });
  });
});
