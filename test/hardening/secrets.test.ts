import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';
import { accessToken, api, basic, partnerOf, tokenRequest } from '../public/support.js';
import { reportFigures } from './figures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('no credential ever reaches a log line', () => {
  it('passwords, client secrets, their hashes, access tokens and session cookies, through success and failure', async () => {
    const secrets: string[] = [];
    const keep = (...values: string[]) => secrets.push(...values);

    // Sign-up, failed and successful logins.
    const password = 'Sup3r-secret-passphrase!';
    const p = await partnerOf(t);
    const email = `secrets-${Date.now()}@example.com`;
    const reg = await t.fetch('/auth/register', json({ email, password }));
    expect(reg.status).toBe(202);
    const wrong = 'Wrong-passphrase-guess-1';
    expect((await t.fetch('/auth/login', json({ email, password: wrong }))).status).toBe(401);
    const signedIn = await t.fetch('/auth/login', json({ email, password }));
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.getSetCookie()[0]!.split(';')[0]!.split('=')[1]!;
    keep(password, wrong, cookie, p.user.jar.get('vigil_session')!, p.user.password);
    const passwordHash = String((await t.svc.db.$client.execute({ sql: 'select password_hash from users where email = ?', args: [email] })).rows[0]!.password_hash);
    keep(passwordHash.split('$').pop()!);

    // Client credentials, right and wrong, and the tokens they buy.
    keep(p.clientSecret, createHash('sha256').update(p.clientSecret).digest('hex'));
    const token = await accessToken(t, p);
    keep(token, token.split('.')[2]!);
    const wrongSecret = 'vgs_this-is-not-the-secret-but-looks-like-one';
    keep(wrongSecret);
    expect((await tokenRequest(t, { grant_type: 'client_credentials' }, { authorization: basic(p.clientId, wrongSecret) })).status).toBe(401);
    expect((await tokenRequest(t, { grant_type: 'client_credentials', client_id: p.clientId, client_secret: wrongSecret })).status).toBe(401);
    expect((await api(t, '/monitors', token)).status).toBe(200);
    expect((await api(t, '/monitors', `${token}x`)).status).toBe(401);
    expect((await t.fetch('/internal/auth.me', { headers: { cookie: `vigil_session=${cookie}x` } })).status).toBe(401);

    // Writes that fail inside the database, whose failed-query errors carry the bound parameters.
    await t.svc.db.$client.execute("CREATE TRIGGER no_clients BEFORE INSERT ON oauth_clients BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");
    await t.svc.db.$client.execute("CREATE TRIGGER no_users BEFORE INSERT ON users BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");
    try {
      const failedPassword = 'Another-secret-passphrase-2';
      keep(failedPassword);
      expect((await t.fetch('/auth/register', json({ email: `x-${Date.now()}@example.com`, password: failedPassword }))).status).toBe(500);
      await expect(p.user.oauthClients.create.mutate({ name: 'doomed' })).rejects.toMatchObject({ data: { code: 'INTERNAL_SERVER_ERROR' } });
    } finally {
      await t.svc.db.$client.execute('DROP TRIGGER no_clients');
      await t.svc.db.$client.execute('DROP TRIGGER no_users');
    }

    // The failures were logged (so operators see them) but without any of the values above.
    const logs = t.logs.join('\n');
    expect(logs).toContain('simulated failure');
    const leaked = secrets.filter((s) => logs.includes(s));
    expect(leaked).toEqual([]);
    // Not even the hashes' hex, in case a new secret appears in a failed query's parameters.
    expect(logs).not.toMatch(/\$argon2id\$|[0-9a-f]{64}/);
    reportFigures('secrets', { logLines: t.logs.length, secretsWatched: secrets.length, found: leaked.length });
  });
});

describe('response headers', () => {
  it('everything is nosniff; anything carrying credentials or account data is no-store', async () => {
    const p = await partnerOf(t);
    const token = await accessToken(t, p);
    const cookie = `vigil_session=${p.user.jar.get('vigil_session')}`;
    const credentialed: [string, Promise<Response>][] = [
      ['tRPC query', t.fetch('/internal/monitors.list', { headers: { cookie } })],
      ['tRPC 401', t.fetch('/internal/monitors.list')],
      ['REST login', t.fetch('/auth/login', json({ email: p.user.email, password: p.user.password }))],
      ['REST login failure', t.fetch('/auth/login', json({ email: p.user.email, password: 'nope-nope-nope' }))],
      ['token', tokenRequest(t, { grant_type: 'client_credentials' }, { authorization: basic(p.clientId, p.clientSecret) })],
      ['token error', tokenRequest(t, { grant_type: 'client_credentials' })],
      ['public API', api(t, '/monitors', token)],
      ['public API 401', api(t, '/monitors', null)],
      ['public API 404', api(t, '/monitors/mon_nothing', token)],
      ['unknown route', t.fetch('/nowhere')],
    ];
    for (const [name, pending] of credentialed) {
      const res = await pending;
      expect(res.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(res.headers.get('cache-control'), name).toBe('no-store');
      expect(res.headers.get('x-frame-options'), name).toBe('DENY');
    }
    // Public, credential-free documents may be cached, and are still nosniff.
    const docs = await t.fetch('/api/v1/openapi.json', { origin: null });
    expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
    expect(docs.headers.get('cache-control')).toMatch(/^public/);
    // The session cookie is never readable by scripts, never sent cross-site, never over http.
    const setCookie = (await t.fetch('/auth/login', json({ email: p.user.email, password: p.user.password }))).headers.getSetCookie()[0]!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
  });
});
