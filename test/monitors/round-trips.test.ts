import type { Client } from '@libsql/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAlertQueue } from '../../src/alerts/queue.js';
import { oauthClients, rateLimits } from '../../src/db/schema.js';
import type { Scheduler } from '../../src/scheduler/port.js';
import { accessToken, api, partnerOf } from '../public/support.js';
import { CookieJar, startTestApp, type TestApp } from '../support/harness.js';
import { rejection } from '../support/http-status.js';
import { teamsApp, type TeamsEnv } from '../teams/support.js';

/**
 * A read request costs ONE database round trip (on Turso, one HTTP request): the
 * session or client check, the public API's rate-limit hit and the read go in one batch. And the
 * check still bites on the very next request: a revoked session or client, or a removed member,
 * gets the refusal, never the read's rows.
 */

/** Counts the libSQL client's calls: each is one round trip. */
function countRoundTrips(client: Client) {
  const seen: string[] = [];
  for (const name of ['execute', 'batch', 'executeMultiple', 'transaction'] as const) {
    const original = client[name].bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      seen.push(name === 'batch' ? `batch of ${(args[0] as unknown[]).length}` : name);
      return original(...args);
    };
  }
  return {
    /** The round trips `f` made. */
    async of(f: () => Promise<unknown>): Promise<string[]> {
      seen.length = 0;
      await f();
      return [...seen];
    },
  };
}

/** No checks run (a check writes in the background, which would blur the count). */
const idleScheduler: Scheduler = {
  create: async () => {},
  update: async () => {},
  remove: async () => {},
  list: async () => [],
  triggerNow: async () => {},
};

describe('one database round trip per read request', () => {
  let t: TestApp;
  let partner: Awaited<ReturnType<typeof partnerOf>>;
  let token: string;
  let monitorId: string;
  let trips: ReturnType<typeof countRoundTrips>;

  beforeAll(async () => {
    t = await startTestApp({ scheduler: idleScheduler });
    t.svc.alerts.stop();
    partner = await partnerOf(t);
    token = await accessToken(t, partner);
    monitorId = (await partner.user.monitors.create.mutate({ name: 'counted site', url: 'http://127.0.0.1:9/', intervalSeconds: 300 })).id;
    trips = countRoundTrips(t.svc.db.$client);
  });
  afterAll(() => t.close());

  it.each(['/monitors', '/monitors/{id}', '/monitors/{id}/checks', '/monitors/{id}/incidents', '/maintenance'])(
    'public GET %s: one round trip, the rate limit counted in it',
    async (path) => {
      const hitsBefore = await hitsOf(t, partner.user.user.accountId);
      let res: Response | undefined;
      // The client check, the rate-limit upsert and the read's statements (a monitor and its uptime rows: 2).
      expect(await trips.of(async () => (res = await api(t, path.replace('{id}', monitorId), token)))).toEqual([expect.stringMatching(/^batch of [34]$/)]);
      expect(res!.status).toBe(200);
      expect(res!.headers.get('x-ratelimit-remaining')).not.toBeNull();
      expect(await hitsOf(t, partner.user.user.accountId)).toBe(hitsBefore + 1);
    },
  );

  it.each([
    ['monitors.list', (c: ReturnType<TestApp['client']>) => c.monitors.list.query()],
    ['monitors.get', (c: ReturnType<TestApp['client']>) => c.monitors.get.query({ id: monitorId })],
    ['monitors.checks', (c: ReturnType<TestApp['client']>) => c.monitors.checks.query({ id: monitorId })],
    ['monitors.incidents', (c: ReturnType<TestApp['client']>) => c.monitors.incidents.query({ id: monitorId })],
    ['maintenance.list', (c: ReturnType<TestApp['client']>) => c.maintenance.list.query()],
    ['oauthClients.list', (c: ReturnType<TestApp['client']>) => c.oauthClients.list.query()],
    ['audit.list', (c: ReturnType<TestApp['client']>) => c.audit.list.query({})],
  ] as const)('tRPC %s: one round trip', async (_name, call) => {
    const spa = t.client(partnerJar(partner.user), { batch: false });
    // The session check and the read's statements (a page of monitors, its uptime sums per grain: 2, and the change cursor).
    expect(await trips.of(() => call(spa))).toEqual([expect.stringMatching(/^batch of [2-5]$/)]);
  });

  it('the dashboard’s steady poll, as the browser sends it (GET, batched link, session cookie): one round trip', async () => {
    const { changesCursor } = await partner.user.monitors.list.query({ limit: 100 });
    const input = encodeURIComponent(JSON.stringify({ 0: { since: changesCursor } }));
    let res: Response | undefined;
    const seen = await trips.of(async () => (res = await t.fetch(`/internal/monitors.changes?batch=1&input=${input}`, { headers: { cookie: partner.user.jar.header() } })));
    // The session check, the account's removals and changed monitors after the cursor, their uptime sums.
    expect(seen).toEqual([expect.stringMatching(/^batch of [2-6]$/)]);
    expect(res!.status).toBe(200);
    expect(await res!.json()).toMatchObject([{ result: { data: { items: [], goneIds: [], cursor: changesCursor } } }]);
  });

  it('a monitor of another account is 404 in the same one round trip, its rows discarded', async () => {
    const other = await t.signUp();
    const theirs = await other.monitors.create.mutate({ name: 'not yours', url: 'http://127.0.0.1:9/', intervalSeconds: 300 });
    let res: Response | undefined;
    expect(await trips.of(async () => (res = await api(t, `/monitors/${theirs.id}`, token)))).toHaveLength(1);
    expect(res!.status).toBe(404);
    expect(await res!.text()).not.toContain('not yours');
    expect((await rejection(partner.user.monitors.get.query({ id: theirs.id }))).status).toBe(404);
  });

  it('a write still confirms the session first: two round trips, as before', async () => {
    const spa = t.client(partnerJar(partner.user), { batch: false });
    expect((await trips.of(() => spa.monitors.update.mutate({ id: monitorId, name: 'counted site' }))).length).toBeGreaterThanOrEqual(2);
  });

  it('a signed-out session is refused on the very next read, with none of the read', async () => {
    const browser = await t.signUp();
    await browser.monitors.create.mutate({ name: 'private site', url: 'http://127.0.0.1:9/', intervalSeconds: 300 });
    const stolen = new CookieJar();
    for (const [name, value] of Object.entries(cookiesOf(browser.jar))) stolen.set(name, value);
    expect((await browser.monitors.list.query()).items).toHaveLength(1);
    await browser.auth.logout.mutate();
    const thief = t.client(stolen, { batch: false });
    expect((await rejection(thief.monitors.list.query())).status).toBe(401);
    const raw = await t.fetch('/internal/monitors.list', { headers: { cookie: stolen.header() } });
    expect(raw.status).toBe(401);
    expect(await raw.text()).not.toContain('private site');
  });

  it('a revoked client, and a deleted one, are refused on the very next read, counting no hit', async () => {
    const other = await partnerOf(t, 'short-lived');
    const theirToken = await accessToken(t, other);
    await other.user.monitors.create.mutate({ name: 'partner site', url: 'http://127.0.0.1:9/', intervalSeconds: 300 });
    expect((await api(t, '/monitors', theirToken)).status).toBe(200);
    const hits = await hitsOf(t, other.user.user.accountId);

    await other.user.oauthClients.revoke.mutate({ clientId: other.clientId });
    for (const path of ['/monitors', `/monitors/${monitorId}`]) {
      const res = await api(t, path, theirToken);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="vigil-api", error="invalid_token"');
      expect(await res.text()).not.toContain('partner site');
    }
    expect(await hitsOf(t, other.user.user.accountId)).toBe(hits);

    const gone = await partnerOf(t, 'deleted');
    const goneToken = await accessToken(t, gone);
    await t.svc.db.delete(oauthClients).where(eq(oauthClients.id, gone.clientId));
    expect((await api(t, '/monitors', goneToken)).status).toBe(401);
    expect(await hitsOf(t, gone.user.user.accountId)).toBe(0);
  });
});

describe('writes: as few round trips as reads allow', () => {
  let t: TestApp;
  let trips: ReturnType<typeof countRoundTrips>;
  let user: Awaited<ReturnType<TestApp['signUp']>>;
  beforeAll(async () => {
    t = await startTestApp({ scheduler: idleScheduler });
    t.svc.alerts.stop();
    user = await t.signUp();
    await user.contacts.create.mutate({ kind: 'webhook', name: 'hook', target: 'https://hooks.example.com/vigil' });
    trips = countRoundTrips(t.svc.db.$client);
  });
  afterAll(() => t.close());

  it.each([
    ['http', { name: 'counted site', url: 'http://127.0.0.1:9/' }],
    ['tcp', { kind: 'tcp' as const, name: 'counted db', host: '127.0.0.1', port: 9 }],
    ['heartbeat', { kind: 'heartbeat' as const, name: 'counted job' }],
  ])('monitors.create (%s): two, the session check and one batch with the guarded insert', async (_kind, input) => {
    const spa = t.client(partnerJar(user), { batch: false });
    let created: { id: string; alertContactIds: string[] } | undefined;
    // The batch: the guarded insert, its audit entry, the row as stored, the count a refusal names, two budgets.
    const seen = await trips.of(async () => (created = await spa.monitors.create.mutate(input)));
    expect(seen).toEqual(['batch of 1', expect.stringMatching(/^batch of \d+$/)]);
    // The insert decided the contacts itself: every contact of the account (its own address and the hook).
    expect(created!.alertContactIds.toSorted()).toEqual((await user.contacts.list.query()).map((c) => c.id).toSorted());
  });

  it('monitors.create naming its contacts: the same two; an unknown contact is refused in them, nothing inserted', async () => {
    const spa = t.client(partnerJar(user), { batch: false });
    const [contact] = await user.contacts.list.query();
    expect(await trips.of(() => spa.monitors.create.mutate({ name: 'named', url: 'http://127.0.0.1:9/', alertContactIds: [contact!.id] }))).toHaveLength(2);
    const before = (await user.monitors.list.query()).items.length;
    let refused: Awaited<ReturnType<typeof rejection>> | undefined;
    expect(await trips.of(async () => (refused = await rejection(spa.monitors.create.mutate({ name: 'x', url: 'http://127.0.0.1:9/', alertContactIds: ['ct_nosuch'] }))))).toHaveLength(2);
    expect(refused).toMatchObject({ status: 400, fieldErrors: [{ path: 'alertContactIds', message: 'no contact ct_nosuch in this account' }] });
    expect((await user.monitors.list.query()).items).toHaveLength(before);
  });

  it('monitors.update: the session check, the lease taken with the read, one batch with the write, the lease given back', async () => {
    const spa = t.client(partnerJar(user), { batch: false });
    const m = await user.monitors.create.mutate({ name: 'edited', url: 'http://127.0.0.1:9/' });
    expect(await trips.of(() => spa.monitors.update.mutate({ id: m.id, url: 'http://127.0.0.1:9/moved', name: 'moved' }))).toHaveLength(4);
  });
});

describe('the in-process sender', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ scheduler: idleScheduler });
  });
  afterAll(() => t.close());

  it('polls with one round trip while nothing is due (reminders, deliveries and mail asked together)', async () => {
    await t.signUp();
    const queue = t.svc.alerts as LocalAlertQueue;
    await queue.idle();
    const trips = countRoundTrips(t.svc.db.$client);
    expect(
      await trips.of(async () => {
        queue.wake();
        await queue.idle();
      }),
    ).toEqual(['batch of 3']);
  });
});

describe('a removed member is refused on the very next read', () => {
  let env: TeamsEnv;
  beforeAll(async () => {
    env = await teamsApp();
  });
  afterAll(() => env.close());

  it('monitors.get, checks and list: 401 after removal, none of the team’s monitors', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const mate = await env.person('viewer');
    await owner.members.invite.mutate({ email: mate.email, role: 'viewer' });
    await mate.members.accept.mutate({ token: await env.inviteTokenTo(mate.email) });
    await mate.account.switch.mutate({ accountId: owner.user.accountId });
    const monitor = await owner.monitors.create.mutate({ name: 'team site', url: 'http://127.0.0.1:9/', intervalSeconds: 300 });
    expect((await mate.monitors.get.query({ id: monitor.id })).name).toBe('team site');

    await owner.members.remove.mutate({ userId: mate.user.id });
    expect((await rejection(mate.monitors.get.query({ id: monitor.id }))).status).toBe(401);
    expect((await rejection(mate.monitors.checks.query({ id: monitor.id }))).status).toBe(401);
    expect((await rejection(mate.monitors.list.query())).status).toBe(401);
  });
});

/** The public-API hits counted in the account's current window. */
async function hitsOf(t: TestApp, accountId: string): Promise<number> {
  const [row] = await t.svc.db.select().from(rateLimits).where(eq(rateLimits.key, `api:${accountId}`));
  return row?.count ?? 0;
}

const cookiesOf = (jar: CookieJar) => Object.fromEntries(jar.header().split('; ').filter(Boolean).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));

/** A second browser tab of the same session: same cookies, own client. */
function partnerJar(user: { jar: CookieJar }): CookieJar {
  const jar = new CookieJar();
  for (const [name, value] of Object.entries(cookiesOf(user.jar))) jar.set(name, value);
  return jar;
}
