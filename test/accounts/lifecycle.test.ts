import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { REGISTRATION_LIMITS } from '../../src/accounts/registration.js';
import { postJsonFrom } from '../support/from-address.js';
import { rememberSecret } from '../support/ledger.js';
import { appWithMail, newEmail } from './support.js';

let env: Awaited<ReturnType<typeof appWithMail>>;
beforeAll(async () => {
  env = await appWithMail();
});
afterAll(() => env.close());

const PASSWORD = 'correct horse battery';
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const me = (cookie: string) => env.t.fetch('/internal/auth.me', { headers: { cookie: `vigil_session=${cookie}` } });

describe('sign-out ends the session on the server (finding 4)', () => {
  it('an old cookie after auth.logout is 401 at once, for reads and for writes; other sessions live on', async () => {
    const u = await env.t.signUp();
    const other = env.t.client();
    await other.auth.login.mutate({ email: u.email, password: u.password });
    const old = u.jar.get('vigil_session')!;
    await u.auth.logout.mutate();
    expect((await me(old)).status).toBe(401);
    const create = await env.t.fetch('/internal/oauthClients.create', { ...json({ name: 'after logout' }), headers: { 'content-type': 'application/json', cookie: `vigil_session=${old}` } });
    expect(create.status).toBe(401);
    expect((await other.auth.me.query()).email).toBe(u.email);
  });

  it('the REST twin revokes too', async () => {
    const u = await env.t.signUp();
    const old = u.jar.get('vigil_session')!;
    const out = await env.t.fetch('/auth/logout', { method: 'POST', headers: { cookie: `vigil_session=${old}` } });
    expect(out.status).toBe(200);
    expect((await me(old)).status).toBe(401);
  });

  it('sign out everywhere ends every session and says how many', async () => {
    const u = await env.t.signUp();
    const b = env.t.client();
    await b.auth.login.mutate({ email: u.email, password: u.password });
    expect(await u.auth.logoutEverywhere.mutate()).toEqual({ ok: true, signedOutSessions: 2 });
    await expect(b.auth.me.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
  });
});

describe('registration (findings 3 and 5)', () => {
  it('answers a new and a taken email identically (202, no cookie); each gets a verification link', async () => {
    const owner = await env.t.signUp();
    const fresh = newEmail('fresh');
    const a = await env.t.fetch('/auth/register', json({ email: fresh, password: PASSWORD }));
    const b = await env.t.fetch('/auth/register', json({ email: owner.email, password: 'someone else entirely' }));
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(await a.json()).toEqual(await b.json());
    expect([...a.headers.getSetCookie(), ...b.headers.getSetCookie()]).toEqual([]);
    await env.linkTo(fresh, 'verify-email');
    // The owner is still unverified: the second registration gets its own link (whoever opens one owns it).
    await env.linkTo(owner.email, 'verify-email', 2);
  });

  it('a verified owner is told once a day that someone tried; nothing changes', async () => {
    const email = newEmail('owner');
    await env.t.client().auth.register.mutate({ email, password: PASSWORD });
    await env.t.client().auth.verifyEmail.mutate({ token: await env.linkTo(email, 'verify-email'), password: PASSWORD });
    const notices = () => env.smtp.to(email).filter((m) => /tried to create/.test(m.subject ?? '')).length;
    for (let i = 0; i < 3; i++) await env.t.fetch('/auth/register', json({ email, password: `stranger password ${i}` }));
    await env.smtp.waitFor(() => notices() >= 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(notices()).toBe(1);
    expect((await env.t.fetch('/auth/login', json({ email, password: PASSWORD }))).status).toBe(200);
  });

  it('whoever verifies owns it: a squatter’s unverified account passes to the mailbox owner, and the squatter is signed out', async () => {
    const email = newEmail('claimed');
    const squatter = await env.t.signUp(email, 'squatter password 1');
    const firstLink = await env.linkTo(email, 'verify-email', 1);
    rememberSecret(firstLink);
    // The real owner registers with their own password and opens the link they receive.
    await env.t.client().auth.register.mutate({ email, password: 'the real owner password' });
    const ownersLink = await env.linkTo(email, 'verify-email', 2);
    expect(await env.t.client().auth.verifyEmail.mutate({ token: ownersLink, password: 'the real owner password' })).toEqual({ email });
    await expect(squatter.auth.me.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
    expect((await env.t.fetch('/auth/login', json({ email, password: 'squatter password 1' }))).status).toBe(401);
    expect((await env.t.fetch('/auth/login', json({ email, password: 'the real owner password' }))).status).toBe(200);
    // The squatter's own link died with the verification.
    await expect(env.t.client().auth.verifyEmail.mutate({ token: firstLink, password: 'squatter password 1' })).rejects.toMatchObject({ data: { httpStatus: 400 } });
  });

  it('a verification link works once, and not after 24 hours', async () => {
    const email = newEmail('once');
    await env.t.client().auth.register.mutate({ email, password: PASSWORD });
    const token = await env.linkTo(email, 'verify-email');
    const c = env.t.client();
    const [x, y] = await Promise.allSettled([c.auth.verifyEmail.mutate({ token, password: PASSWORD }), c.auth.verifyEmail.mutate({ token, password: PASSWORD })]);
    expect([x.status, y.status].sort()).toEqual(['fulfilled', 'rejected']);
    const late = newEmail('late');
    await env.t.client().auth.register.mutate({ email: late, password: PASSWORD });
    const lateToken = await env.linkTo(late, 'verify-email');
    env.clock.now += 24 * 3_600_000 + 1000;
    await expect(c.auth.verifyEmail.mutate({ token: lateToken, password: PASSWORD })).rejects.toMatchObject({ data: { httpStatus: 400, fieldErrors: [{ path: 'token' }] } });
  });

  it('refuses a most-common password, naming the field', async () => {
    await expect(env.t.client().auth.register.mutate({ email: newEmail(), password: 'password123' })).rejects.toMatchObject({
      data: { httpStatus: 400, fieldErrors: [{ path: 'password' }] },
    });
  });

  it(`is throttled per address: ${REGISTRATION_LIMITS.perIp.limit} an hour`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= REGISTRATION_LIMITS.perIp.limit; i++) {
      statuses.push((await postJsonFrom('127.0.0.9', `${env.t.baseUrl}/auth/register`, { email: newEmail('flood'), password: PASSWORD })).status);
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(REGISTRATION_LIMITS.perIp.limit);
    expect(statuses.at(-1)).toBe(429);
    // Another address is not affected.
    expect((await postJsonFrom('127.0.0.10', `${env.t.baseUrl}/auth/register`, { email: newEmail(), password: PASSWORD })).status).toBe(202);
  }, 60_000);
});

describe('passwords', () => {
  it('a reset link works once, then is refused; old sessions are refused after the reset', async () => {
    const u = await env.t.signUp();
    const other = env.t.client();
    await other.auth.login.mutate({ email: u.email, password: u.password });
    const c = env.t.client();
    const known = await c.auth.requestPasswordReset.mutate({ email: u.email });
    const unknown = await c.auth.requestPasswordReset.mutate({ email: newEmail('nobody') });
    expect(known).toEqual(unknown);
    const token = await env.linkTo(u.email, 'reset-password');
    const next = 'a brand new passphrase';
    rememberSecret(next);
    expect(await c.auth.resetPassword.mutate({ token, password: next })).toEqual({ ok: true, signedOutSessions: 2 });
    await expect(c.auth.resetPassword.mutate({ token, password: 'yet another passphrase' })).rejects.toMatchObject({ data: { httpStatus: 400 } });
    await expect(u.auth.me.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
    await expect(other.auth.me.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
    expect((await env.t.fetch('/auth/login', json({ email: u.email, password: u.password }))).status).toBe(401);
    expect((await env.t.fetch('/auth/login', json({ email: u.email, password: next }))).status).toBe(200);
  });

  it('a reset link expires after 30 minutes', async () => {
    const u = await env.t.signUp();
    await env.t.client().auth.requestPasswordReset.mutate({ email: u.email });
    const token = await env.linkTo(u.email, 'reset-password');
    env.clock.now += 30 * 60_000 + 1000;
    await expect(env.t.client().auth.resetPassword.mutate({ token, password: 'too late passphrase' })).rejects.toMatchObject({ data: { httpStatus: 400 } });
  });

  it('changing the password keeps this session and ends every other one', async () => {
    const u = await env.t.signUp();
    const other = env.t.client();
    await other.auth.login.mutate({ email: u.email, password: u.password });
    await expect(u.auth.changePassword.mutate({ current: 'not my password', next: 'changed passphrase 1' })).rejects.toMatchObject({
      data: { httpStatus: 400, fieldErrors: [{ path: 'current' }] },
    });
    rememberSecret('changed passphrase 1');
    expect(await u.auth.changePassword.mutate({ current: u.password, next: 'changed passphrase 1' })).toEqual({ ok: true, signedOutSessions: 1 });
    expect((await u.auth.me.query()).email).toBe(u.email);
    await expect(other.auth.me.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
    await env.smtp.waitFor((inbox) => inbox.some((m) => m.envelopeTo.includes(u.email) && /password was changed/.test(m.subject ?? '')));
  });
});

describe('REQUIRE_VERIFIED_EMAIL', () => {
  it('defaults to true on Lambda and in production, false for a local start', () => {
    expect(loadConfig({ NODE_ENV: 'development', AUTH_SECRET: 'x'.repeat(32) }).requireVerifiedEmail).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32) }).requireVerifiedEmail).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32), REQUIRE_VERIFIED_EMAIL: 'false' }).requireVerifiedEmail).toBe(false);
  });

  it('off (tests, local): an unverified account creates monitors right away', async () => {
    const u = await env.t.signUp();
    expect(u.user.emailVerified).toBe(false);
    await expect(u.monitors.create.mutate({ name: 'x', url: 'https://example.com/' })).resolves.toMatchObject({ name: 'x' });
  });

  it('on: an unverified account signs in and reads, but creates no monitor until it verifies', async () => {
    const strict = await appWithMail({ REQUIRE_VERIFIED_EMAIL: 'true' });
    try {
      const u = await strict.t.signUp();
      expect((await u.monitors.list.query()).items).toEqual([]);
      await expect(u.monitors.create.mutate({ name: 'x', url: 'https://example.com/' })).rejects.toMatchObject({
        message: expect.stringMatching(/confirm your email/),
        data: { httpStatus: 403, appCode: 'FORBIDDEN' },
      });
      await u.auth.verifyEmail.mutate({ token: await strict.linkTo(u.email, 'verify-email'), password: u.password });
      expect((await u.auth.me.query()).emailVerified).toBe(true);
      await expect(u.monitors.create.mutate({ name: 'x', url: 'https://example.com/' })).resolves.toMatchObject({ name: 'x' });
    } finally {
      await strict.close();
    }
  });
});
