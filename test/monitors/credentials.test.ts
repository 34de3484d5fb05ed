import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checker/run.js';
import { secretBoxFor } from '../../src/crypto/secret-box.js';
import { rememberSecret } from '../support/ledger.js';
import { teamsApp, type TeamsEnv } from '../teams/support.js';

/**
 * A monitor's credentials and request are for its own origin and its editors: they do not follow a
 * redirect to another host, do not follow the URL to an editor's server, do not open on another
 * monitor, and are not shown to a role that may not edit them.
 */
const PASSWORD = 'open-sesame-credential-77';
const TOKEN = 'tok_live_f00dfacecafe1234';
const API_KEY = 'sk_live_51HxYzSecretKey';
const COOKIE = 'session=cookie-secret-4242';
const BASIC = `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`;

type Hit = { path: string; headers: IncomingHttpHeaders };
type Host = { url: string; hits: Hit[]; server: Server };

/** A host on 127.0.0.1 (its own port, so its own origin) that records what reaches it; /to?u=… redirects there. */
async function host(): Promise<Host> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    hits.push({ path: u.pathname, headers: req.headers });
    if (u.pathname === '/to') return void res.writeHead(302, { location: u.searchParams.get('u') ?? '/' }).end();
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

let env: TeamsEnv;
let origin: Host;
let other: Host;
beforeAll(async () => {
  for (const s of [PASSWORD, TOKEN, API_KEY, COOKIE, BASIC]) rememberSecret(s);
  env = await teamsApp();
  origin = await host();
  other = await host();
});
afterAll(async () => {
  await env.close();
  for (const h of [origin, other]) await new Promise((r) => h.server.close(r));
});

const fast = { confirmDelayMs: 0 };
const sent = (h: Host) => JSON.stringify(h.hits.map((x) => x.headers));

describe('credentials on redirects', () => {
  it('a Basic credential, a Cookie and custom headers do not arrive at a second host on a redirect', async () => {
    const owner = await env.person('owner');
    const m = await owner.monitors.create.mutate({
      name: 'redirects away',
      url: `${origin.url}/to?u=${encodeURIComponent(`${other.url}/landing`)}`,
      auth: { type: 'basic', username: 'ops', password: PASSWORD },
      headers: { 'X-Api-Key': API_KEY, Cookie: COOKIE },
    });
    other.hits.length = 0;
    expect(await runCheck(env.t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'up' } });
    expect(origin.hits.at(-1)!.headers).toMatchObject({ authorization: BASIC, 'x-api-key': API_KEY, cookie: COOKIE });
    expect(other.hits.map((h) => h.path)).toContain('/landing');
    for (const secret of [PASSWORD, BASIC, API_KEY, COOKIE]) expect(sent(other)).not.toContain(secret);
  });

  it('a redirect within the origin keeps them', async () => {
    const owner = await env.person('owner');
    const m = await owner.monitors.create.mutate({
      name: 'redirects home',
      url: `${origin.url}/to?u=/home`,
      auth: { type: 'bearer', token: TOKEN },
      headers: { 'X-Api-Key': API_KEY },
    });
    expect(await runCheck(env.t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'up' } });
    expect(origin.hits.at(-1)).toMatchObject({ path: '/home', headers: { authorization: `Bearer ${TOKEN}`, 'x-api-key': API_KEY } });
  });
});

describe('credentials when the URL moves', () => {
  it('an editor who changes the URL to their server receives no token; the answer says the credentials were cleared', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const editor = await env.teamOf(owner, 'editor');
    const m = await owner.monitors.create.mutate({ name: 'api', url: `${origin.url}/api`, auth: { type: 'bearer', token: TOKEN } });

    const moved = await editor.monitors.update.mutate({ id: m.id, url: `${other.url}/steal` });
    expect(moved).toMatchObject({ auth: null, credentialsCleared: true });
    other.hits.length = 0;
    await runCheck(env.t.svc, m.id, fast);
    expect(other.hits.map((h) => h.path)).toEqual(['/steal']);
    expect(sent(other)).not.toContain(TOKEN);
    expect(other.hits[0]!.headers.authorization).toBeUndefined();
    // Moving it back does not bring them back: they are gone, and the app asks for them again.
    expect(await owner.monitors.update.mutate({ id: m.id, url: `${origin.url}/api` })).toMatchObject({ auth: null, credentialsCleared: false });
  });

  it('a move within the origin keeps them; a move that enters new credentials keeps the new ones', async () => {
    const owner = await env.person('owner');
    const m = await owner.monitors.create.mutate({ name: 'api', url: `${origin.url}/a`, auth: { type: 'bearer', token: TOKEN } });
    expect(await owner.monitors.update.mutate({ id: m.id, url: `${origin.url}/b` })).toMatchObject({ auth: { type: 'bearer', set: true }, credentialsCleared: false });
    await runCheck(env.t.svc, m.id, fast);
    expect(origin.hits.at(-1)).toMatchObject({ path: '/b', headers: { authorization: `Bearer ${TOKEN}` } });

    const moved = await owner.monitors.update.mutate({ id: m.id, url: `${other.url}/new`, auth: { type: 'basic', username: 'ops', password: PASSWORD } });
    expect(moved).toMatchObject({ auth: { type: 'basic', set: true }, credentialsCleared: false });
    await runCheck(env.t.svc, m.id, fast);
    expect(other.hits.at(-1)).toMatchObject({ path: '/new', headers: { authorization: BASIC } });
  });
});

describe('credentials sealed to their monitor and origin', () => {
  const sealedOf = async (id: string) =>
    (await env.t.svc.db.$client.execute({ sql: 'SELECT auth_sealed FROM monitors WHERE id = ?', args: [id] })).rows[0]!.auth_sealed as string;
  const setSealed = (id: string, sealed: string | null) =>
    env.t.svc.db.$client.execute({ sql: 'UPDATE monitors SET auth_sealed = ? WHERE id = ?', args: [sealed, id] });

  it('a sealed value copied onto another monitor, or left on a URL moved behind the API’s back, does not open', async () => {
    const owner = await env.person('owner');
    const a = await owner.monitors.create.mutate({ name: 'a', url: `${origin.url}/a`, auth: { type: 'bearer', token: TOKEN } });
    const b = await owner.monitors.create.mutate({ name: 'b', url: `${origin.url}/b`, auth: { type: 'bearer', token: 'another-token-1' } });
    await setSealed(b.id, await sealedOf(a.id));
    expect(await runCheck(env.t.svc, b.id, fast)).toMatchObject({ result: { ok: false, reason: 'credentials could not be decrypted' } });

    await env.t.svc.db.$client.execute({ sql: 'UPDATE monitors SET url = ? WHERE id = ?', args: [`${other.url}/a`, a.id] });
    other.hits.length = 0;
    expect(await runCheck(env.t.svc, a.id, fast)).toMatchObject({ result: { ok: false, reason: 'credentials could not be decrypted' } });
    expect(other.hits).toEqual([]);
  });

  it('a credential sealed before the binding (migration 0009 marks it unbound) is still sent: none is lost', async () => {
    const owner = await env.person('owner');
    const m = await owner.monitors.create.mutate({ name: 'old', url: `${origin.url}/old` });
    // The form rows had before: sealed with no binding, then the migration as it runs on them.
    await setSealed(m.id, secretBoxFor(env.t.svc.config).seal(`Bearer ${TOKEN}`));
    await env.t.svc.db.$client.execute({ sql: "UPDATE monitors SET auth_type = 'bearer' WHERE id = ?", args: [m.id] });
    const migration = readFileSync(join(import.meta.dirname, '../../src/db/migrations/0009_bind_monitor_credentials.sql'), 'utf8');
    await env.t.svc.db.$client.executeMultiple(migration);
    expect(await sealedOf(m.id)).toMatch(/^unbound:v1:/);
    await runCheck(env.t.svc, m.id, fast);
    expect(origin.hits.at(-1)).toMatchObject({ path: '/old', headers: { authorization: `Bearer ${TOKEN}` } });
  });
});

describe('the request a monitor sends, by role', () => {
  it('a viewer sees header names and no values or body; an editor sees them', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const viewer = await env.teamOf(owner, 'viewer');
    const editor = await env.teamOf(owner, 'editor');
    const m = await owner.monitors.create.mutate({
      name: 'post', url: `${origin.url}/hook`, method: 'POST', headers: { 'X-Api-Key': API_KEY }, body: `{"key":"${API_KEY}"}`,
    });

    const seenByViewer = [await viewer.monitors.get.query({ id: m.id }), (await viewer.monitors.list.query()).items.find((x) => x.id === m.id)!];
    for (const seen of seenByViewer) expect(seen).toMatchObject({ headers: { 'X-Api-Key': '•••' }, body: '•••', requestHidden: true });
    expect(JSON.stringify(seenByViewer)).not.toContain(API_KEY);

    for (const seen of [await editor.monitors.get.query({ id: m.id }), (await editor.monitors.list.query()).items.find((x) => x.id === m.id)!]) {
      expect(seen).toMatchObject({ headers: { 'X-Api-Key': API_KEY }, body: `{"key":"${API_KEY}"}`, requestHidden: false });
    }
  });
});
