import { beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, base64url } from 'jose';
import { signAccessToken, signSession } from '../../src/auth/tokens.js';
import { runCheck } from '../../src/checker/run.js';
import { appAndTarget } from '../support/app-and-target.js';
import { accessToken, api, basic, partnerOf, tokenRequest } from './support.js';

const fx = appAndTarget();

type Page<T> = { data: T[]; nextCursor: string | null };
type PublicMonitor = { id: string; name: string; status: string; [k: string]: unknown };

describe('a monitor of each kind', () => {
  it('reads the same in the list (which selects only the columns partners see) as alone, its url as the app shows it', async () => {
    const { user, clientId, clientSecret } = await partnerOf(fx.t, 'kinds');
    const site = await user.monitors.create.mutate({ name: 'site', url: fx.target.url, paused: true });
    const db = await user.monitors.create.mutate({ kind: 'tcp', name: 'db', host: '127.0.0.1', port: 5432, paused: true });
    const job = await user.monitors.create.mutate({ kind: 'heartbeat', name: 'job', paused: true });
    const token = await accessToken(fx.t, { clientId, clientSecret });

    const list = (await (await api(fx.t, '/monitors', token)).json()) as { items: PublicMonitor[] };
    expect(list.items.map((m) => [m.name, m.kind, m.url])).toEqual([site, db, job].map((m) => [m.name, m.kind, m.url]));
    expect(list.items.map((m) => m.url)).toEqual([site.url, 'tcp://127.0.0.1:5432', null]);
    for (const listed of list.items) {
      const res = await api(fx.t, `/monitors/${listed.id}`, token);
      expect(res.status).toBe(200);
      const { uptime24h, uptime7d, uptime30d, uptime90d, avgResponseTimeMs24h, ...alone } = (await res.json()) as PublicMonitor;
      expect([uptime24h, uptime7d, uptime30d, uptime90d, avgResponseTimeMs24h]).toEqual([null, null, null, null, null]);
      expect(alone).toEqual(listed);
    }
  });
});

describe('the partner flow, end to end over HTTP', () => {
  it('register, create a client, get tokens by Basic and by post, read monitors, checks and incidents', async () => {
    const { user, clientId, clientSecret } = await partnerOf(fx.t);
    expect(clientId).toMatch(/^cli_/);
    expect(clientSecret.length).toBeGreaterThanOrEqual(43); // 32 random bytes, base64url

    const up = await user.monitors.create.mutate({ name: 'site', url: fx.target.url, keyword: 'hello' });
    const flaky = await user.monitors.create.mutate({ name: 'api', url: `${fx.target.url}?api` });
    await runCheck(fx.t.svc, up.id, { confirmDelayMs: 0 });
    fx.target.answer(503, 503);
    await runCheck(fx.t.svc, flaky.id, { confirmDelayMs: 0 });

    const byBasic = await tokenRequest(fx.t, { grant_type: 'client_credentials' }, { authorization: basic(clientId, clientSecret) });
    expect(byBasic.status).toBe(200);
    expect(byBasic.headers.get('cache-control')).toBe('no-store');
    expect(byBasic.headers.get('pragma')).toBe('no-cache');
    const issued = (await byBasic.json()) as Record<string, unknown>;
    expect(issued).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'monitors:read' });

    const byPost = await tokenRequest(fx.t, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'monitors:read' });
    expect(byPost.status).toBe(200);
    const token = ((await byPost.json()) as { access_token: string }).access_token;

    // RFC 9068 header and claims.
    const [header, payload] = token.split('.').slice(0, 2).map((p) => JSON.parse(new TextDecoder().decode(base64url.decode(p!))));
    expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: clientId, client_id: clientId, aud: 'vigil-public-api', scope: 'monitors:read', iss: 'http://vigil.test' });
    expect(payload.exp - payload.iat).toBe(900);
    expect(typeof payload.jti).toBe('string');

    const list = await api(fx.t, '/monitors', issued.access_token as string);
    expect(list.status).toBe(200);
    const monitors = (await list.json()) as Page<PublicMonitor>;
    expect(monitors.data.map((m) => [m.name, m.status])).toEqual([['site', 'up'], ['api', 'down']]);
    expect(monitors.nextCursor).toBeNull();
    // Internal-only fields stay internal: the keyword may be a secret.
    expect(Object.keys(monitors.data[0]!)).not.toContain('keyword');
    expect(JSON.stringify(monitors)).not.toContain('hello');

    const downOnly = (await (await api(fx.t, '/monitors?status=down', token)).json()) as Page<PublicMonitor>;
    expect(downOnly.data.map((m) => m.id)).toEqual([flaky.id]);

    const one = await api(fx.t, `/monitors/${up.id}`, token);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: up.id, status: 'up', uptime24h: 100, lastStatusCode: 200 });

    const checks = (await (await api(fx.t, `/monitors/${flaky.id}/checks`, token)).json()) as Page<{ ok: boolean; statusCode: number }>;
    expect(checks.data.length).toBeGreaterThanOrEqual(1);
    expect(checks.data[0]).toMatchObject({ ok: false, statusCode: 503 });

    const incidents = (await (await api(fx.t, `/monitors/${flaky.id}/incidents`, token)).json()) as { data: { resolvedAt: string | null }[] };
    expect(incidents.data).toHaveLength(1);
    expect(incidents.data[0]!.resolvedAt).toBeNull();
  });

  it('walks every monitor exactly once through the cursor', async () => {
    const p = await partnerOf(fx.t);
    const created = new Set<string>();
    for (let i = 0; i < 7; i++) created.add((await p.user.monitors.create.mutate({ name: `m${i}`, url: fx.target.url })).id);
    const token = await accessToken(fx.t, p);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api(fx.t, `/monitors?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page<PublicMonitor>;
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((m) => m.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(created);
  });

  it('answers bad query parameters with 400 naming them', async () => {
    const token = await accessToken(fx.t, await partnerOf(fx.t));
    for (const q of ['limit=0', 'limit=101', 'limit=abc', 'status=broken']) {
      const res = await api(fx.t, `/monitors?${q}`, token);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain(q.split('=')[0]);
    }
    const garbage = await api(fx.t, '/monitors?cursor=not-a-cursor', token);
    expect(garbage.status).toBe(400);
    // The documented error shape, nothing of tRPC's internals.
    const body = (await (await api(fx.t, '/monitors/not%20an%20id', token)).json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'issues', 'message']);
    expect(body).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('id: must be a monitor id') });
  });
});

describe('the token endpoint refuses, as RFC 6749 §5.2 says', () => {
  let creds: { clientId: string; clientSecret: string };
  beforeAll(async () => {
    creds = await partnerOf(fx.t);
  });
  const good = () => basic(creds.clientId, creds.clientSecret);

  const cases: [string, () => Promise<Response>, number, string][] = [
    ['no client authentication', () => tokenRequest(fx.t, { grant_type: 'client_credentials' }), 401, 'invalid_client'],
    ['a wrong secret by Basic', () => tokenRequest(fx.t, { grant_type: 'client_credentials' }, { authorization: basic(creds.clientId, 'nope') }), 401, 'invalid_client'],
    ['an unknown client by post', () => tokenRequest(fx.t, { grant_type: 'client_credentials', client_id: 'cli_nobody', client_secret: 'x' }), 401, 'invalid_client'],
    ['malformed Basic', () => tokenRequest(fx.t, { grant_type: 'client_credentials' }, { authorization: 'Basic !!!' }), 401, 'invalid_client'],
    ['both Basic and post', () => tokenRequest(fx.t, { grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret }, { authorization: good() }), 400, 'invalid_request'],
    ['no grant_type', () => tokenRequest(fx.t, {}, { authorization: good() }), 400, 'invalid_request'],
    ['a JSON body', () => fx.t.fetch('/oauth/token', { method: 'POST', origin: null, headers: { 'content-type': 'application/json', authorization: good() }, body: '{"grant_type":"client_credentials"}' }), 400, 'invalid_request'],
    ['another grant', () => tokenRequest(fx.t, { grant_type: 'password' }, { authorization: good() }), 400, 'unsupported_grant_type'],
    ['an unknown scope', () => tokenRequest(fx.t, { grant_type: 'client_credentials', scope: 'monitors:write' }, { authorization: good() }), 400, 'invalid_scope'],
  ];
  it.each(cases)('%s', async (name, send, status, error) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe(error);
    expect(body.error_description).toBeTruthy();
    // RFC 9110 §15.5.2: every 401 carries a challenge, a secret posted in the body included (RFC 6749 §2.3.1: HTTP Basic).
    if (status === 401) expect(res.headers.get('www-authenticate'), name).toMatch(/^Basic realm="vigil"/);
  });

  it('revoked clients get no tokens; other methods are 405', async () => {
    const p = await partnerOf(fx.t);
    await p.user.oauthClients.revoke.mutate({ clientId: p.clientId });
    const res = await tokenRequest(fx.t, { grant_type: 'client_credentials' }, { authorization: basic(p.clientId, p.clientSecret) });
    expect(res.status).toBe(401);
    expect((await fx.t.fetch('/oauth/token', { origin: null })).status).toBe(405);
  });

  it('slows down a client that hammers it: 429 with Retry-After, per client id', async () => {
    const p = await partnerOf(fx.t);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await tokenRequest(fx.t, { grant_type: 'client_credentials' }, { authorization: basic(p.clientId, p.clientSecret) })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    const last = await tokenRequest(fx.t, { grant_type: 'client_credentials' }, { authorization: basic(p.clientId, p.clientSecret) });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last.json()) as { error: string }).error).toBe('slow_down');
    // Another client is not affected.
    expect((await tokenRequest(fx.t, { grant_type: 'client_credentials' }, { authorization: good() })).status).toBe(200);
  });
});

describe('bearer authentication refuses every wrong token', () => {
  let p: Awaited<ReturnType<typeof partnerOf>>;
  let token: string;
  beforeAll(async () => {
    p = await partnerOf(fx.t);
    token = await accessToken(fx.t, p);
  });
  const keys = () => fx.t.svc.keys;

  async function expectInvalid(res: Response, error: string | null = 'invalid_token') {
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    if (error) expect(challenge).toContain(`error="${error}"`);
    else expect(challenge).not.toContain('error=');
    expect(await res.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  }

  it('no token: 401 with a bare Bearer challenge', async () => {
    await expectInvalid(await api(fx.t, '/monitors', null), null);
    await expectInvalid(await api(fx.t, '/monitors', null, { headers: { authorization: `Basic ${token}` } }), null);
  });

  it('an expired token', async () => {
    const old = await signAccessToken(keys(), { clientId: p.clientId, accountId: p.user.user.accountId, scopes: ['monitors:read'] }, Date.now() - 3600_000);
    await expectInvalid(await api(fx.t, '/monitors', old));
  });

  it('a tampered signature or payload', async () => {
    const [h, body, sig] = token.split('.') as [string, string, string];
    const flipped = sig.slice(0, -2) + (sig.endsWith('AA') ? 'BB' : 'AA');
    await expectInvalid(await api(fx.t, '/monitors', `${h}.${body}.${flipped}`));
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(body)));
    const other = base64url.encode(JSON.stringify({ ...claims, account: 'acc_someone_else' }));
    await expectInvalid(await api(fx.t, '/monitors', `${h}.${other}.${sig}`));
  });

  it('alg none, and a token signed with the wrong key', async () => {
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(token.split('.')[1]!)));
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${base64url.encode(JSON.stringify(claims))}.`;
    await expectInvalid(await api(fx.t, '/monitors', none));
    const wrongKey = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(new TextEncoder().encode('x'.repeat(32)));
    await expectInvalid(await api(fx.t, '/monitors', wrongKey));
  });

  it('a session cookie token used as a bearer token, and an access token used as a session cookie', async () => {
    const session = p.user.jar.get('vigil_session')!;
    await expectInvalid(await api(fx.t, '/monitors', session));
    const forged = await signSession(keys(), { sessionId: 'ses_forged', userId: p.user.user.id, accountId: p.user.user.accountId, sessionVersion: 0 }, fx.t.svc.now());
    await expectInvalid(await api(fx.t, '/monitors', forged));

    const asCookie = await fx.t.fetch('/internal/monitors.list', { headers: { cookie: `vigil_session=${token}` } });
    expect(asCookie.status).toBe(401);
  });

  it('a revoked client: its token stops working on the next request', async () => {
    const q = await partnerOf(fx.t);
    const live = await accessToken(fx.t, q);
    expect((await api(fx.t, '/monitors', live)).status).toBe(200);
    await q.user.oauthClients.revoke.mutate({ clientId: q.clientId });
    await expectInvalid(await api(fx.t, '/monitors', live));
  });

  it('a token without the monitors:read scope: 403 insufficient_scope', async () => {
    const scopeless = await signAccessToken(keys(), { clientId: p.clientId, accountId: p.user.user.accountId, scopes: [] }, fx.t.svc.now());
    const res = await api(fx.t, '/monitors', scopeless);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });
});

describe('nothing crosses accounts, nothing writes', () => {
  it("another account's monitor is 404, exactly like a missing one", async () => {
    const a = await partnerOf(fx.t);
    const b = await partnerOf(fx.t);
    const theirs = await b.user.monitors.create.mutate({ name: 'private', url: fx.target.url });
    const token = await accessToken(fx.t, a);
    for (const suffix of ['', '/checks', '/incidents']) {
      const foreign = await api(fx.t, `/monitors/${theirs.id}${suffix}`, token);
      const missing = await api(fx.t, `/monitors/mon_doesnotexist000000000000${suffix}`, token);
      expect(foreign.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(await foreign.json()).toEqual(await missing.json());
    }
    const list = (await (await api(fx.t, '/monitors', token)).json()) as Page<PublicMonitor>;
    expect(list.data).toEqual([]);
  });

  it('POST, PUT, PATCH and DELETE are refused with 405 and change nothing', async () => {
    const p = await partnerOf(fx.t);
    const m = await p.user.monitors.create.mutate({ name: 'keep', url: fx.target.url });
    const token = await accessToken(fx.t, p);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const path of ['/monitors', `/monitors/${m.id}`]) {
        const res = await api(fx.t, path, token, { method, headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, HEAD');
      }
    }
    expect(await p.user.monitors.get.query({ id: m.id })).toMatchObject({ name: 'keep' });
  });
});

describe("rate limits by the account's plan", () => {
  it('every response carries the headers; past 60 a minute, 429 with Retry-After', async () => {
    const p = await partnerOf(fx.t);
    const token = await accessToken(fx.t, p);
    const first = await api(fx.t, '/monitors', token);
    expect(first.headers.get('x-ratelimit-limit')).toBe('60');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('59');
    const reset = Number(first.headers.get('x-ratelimit-reset'));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 61_000);
    for (let i = 0; i < 59; i++) expect((await api(fx.t, '/monitors', token)).status).toBe(200);
    const over = await api(fx.t, '/monitors', token);
    expect(over.status).toBe(429);
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await over.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });

    // The limit is the account's, shared by its clients; another account is unaffected.
    const second = await p.user.oauthClients.create.mutate({ name: 'second' });
    expect((await api(fx.t, '/monitors', await accessToken(fx.t, second))).status).toBe(429);
    const other = await partnerOf(fx.t);
    expect((await api(fx.t, '/monitors', await accessToken(fx.t, other))).status).toBe(200);
  });
});

describe('API clients in the app', () => {
  it('the Free plan allows 2 active clients; a revoked one frees its place; secrets are never listed', async () => {
    const user = await fx.t.signUp();
    const a = await user.oauthClients.create.mutate({ name: 'a' });
    await user.oauthClients.create.mutate({ name: 'b' });
    await expect(user.oauthClients.create.mutate({ name: 'c' })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
      message: expect.stringContaining('Free plan allows 2 API clients; you have 2'),
    });
    await user.oauthClients.revoke.mutate({ clientId: a.clientId });
    await user.oauthClients.create.mutate({ name: 'c' });

    const listed = await user.oauthClients.list.query();
    expect(listed.map((c) => c.name).sort()).toEqual(['a', 'b', 'c']);
    expect(listed.find((c) => c.name === 'a')!.revokedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(a.clientSecret);
    expect(JSON.stringify(listed)).not.toMatch(/secret/i);

    const stranger = await fx.t.signUp();
    await expect(stranger.oauthClients.revoke.mutate({ clientId: a.clientId })).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
    expect(await stranger.oauthClients.list.query()).toEqual([]);
  });

  it('the stored secret is a hash, not the secret', async () => {
    const user = await fx.t.signUp();
    const created = await user.oauthClients.create.mutate({ name: 'x' });
    const rows = await fx.t.svc.db.$client.execute({ sql: 'select * from oauth_clients where id = ?', args: [created.clientId] });
    expect(JSON.stringify(rows.rows)).not.toContain(created.clientSecret);
  });
});
