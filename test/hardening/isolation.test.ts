import { beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checker/run.js';
import { appAndTarget } from '../support/app-and-target.js';
import { accessToken, api, partnerOf } from '../public/support.js';
import { reportFigures } from './figures.js';

const fx = appAndTarget();

type Tenant = Awaited<ReturnType<typeof tenant>>;

/** An account with monitors (one with history), an API client and a token. */
async function tenant(name: string) {
  const p = await partnerOf(fx.t, `${name}-client`);
  const monitors = [];
  for (let i = 0; i < 3; i++) monitors.push(await p.user.monitors.create.mutate({ name: `${name}-${i}`, url: `${fx.target.url}?${name}${i}` }));
  await runCheck(fx.t.svc, monitors[0]!.id, { confirmDelayMs: 0 });
  return { ...p, monitors, token: await accessToken(fx.t, p) };
}

/** The body and status a caller gets, to compare a foreign id's answer with a missing id's. */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    return `ok ${JSON.stringify(await call())}`;
  } catch (error) {
    const e = error as { data?: { code?: string; httpStatus?: number }; message?: string };
    return `${e.data?.httpStatus} ${e.data?.code} ${e.message}`;
  }
}

describe('two accounts, every door tried with the other’s ids and tokens', () => {
  let a: Tenant;
  let b: Tenant;
  let attempts = 0;
  beforeAll(async () => {
    a = await tenant('alice');
    b = await tenant('bob');
  });

  it('internal procedures answer a foreign id exactly like a missing one, and change nothing', async () => {
    const missingMonitor = 'mon_doesnotexist0000000000';
    const calls: [string, (id: string) => Promise<unknown>][] = [
      ['monitors.get', (id) => a.user.monitors.get.query({ id })],
      ['monitors.checks', (id) => a.user.monitors.checks.query({ id })],
      ['monitors.incidents', (id) => a.user.monitors.incidents.query({ id })],
      ['monitors.update', (id) => a.user.monitors.update.mutate({ id, name: 'hijacked', paused: true })],
      ['monitors.delete', (id) => a.user.monitors.delete.mutate({ id })],
    ];
    for (const theirs of b.monitors) {
      for (const [name, call] of calls) {
        const foreign = await outcome(() => call(theirs.id));
        const missing = await outcome(() => call(missingMonitor));
        attempts += 2;
        expect(foreign, name).toMatch(/^404 NOT_FOUND/);
        expect(foreign, name).toBe(missing);
      }
    }
    const revokeForeign = await outcome(() => a.user.oauthClients.revoke.mutate({ clientId: b.clientId }));
    const revokeMissing = await outcome(() => a.user.oauthClients.revoke.mutate({ clientId: 'cli_doesnotexist' }));
    attempts += 2;
    expect(revokeForeign).toMatch(/^404 NOT_FOUND/);
    expect(revokeForeign).toBe(revokeMissing);

    // Bob's things are as he left them.
    const bobs = (await b.user.monitors.list.query()).items;
    expect(bobs.map((m) => [m.name, m.paused])).toEqual(b.monitors.map((m) => [m.name, false]));
    expect((await b.user.oauthClients.list.query())[0]!.revokedAt).toBeNull();
    expect((await api(fx.t, '/monitors', b.token)).status).toBe(200);
  });

  it('lists and summaries show only the caller’s own', async () => {
    const listed = (await a.user.monitors.list.query()).items;
    expect(listed.map((m) => m.id).sort()).toEqual(a.monitors.map((m) => m.id).sort());
    expect((await a.user.oauthClients.list.query()).map((c) => c.clientId)).toEqual([a.clientId]);
    expect((await a.user.account.get.query()).usage).toMatchObject({ monitors: 3 });
    const page = (await (await api(fx.t, '/monitors?limit=100', a.token)).json()) as { data: { id: string }[] };
    expect(page.data.map((m) => m.id).sort()).toEqual(a.monitors.map((m) => m.id).sort());
    attempts += 5;
  });

  it('the public API answers a foreign id exactly like a missing one', async () => {
    for (const theirs of b.monitors) {
      for (const suffix of ['', '/checks', '/incidents']) {
        const foreign = await api(fx.t, `/monitors/${theirs.id}${suffix}`, a.token);
        const missing = await api(fx.t, `/monitors/mon_doesnotexist0000000000${suffix}`, a.token);
        attempts += 2;
        expect(foreign.status).toBe(404);
        expect(await foreign.text()).toBe(await missing.text());
      }
    }
  });

  it('one account’s credentials never act for the other', async () => {
    // Alice's client id with Bob's secret, and the reverse.
    const mixed = await fx.t.fetch('/oauth/token', {
      method: 'POST',
      origin: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: a.clientId, client_secret: b.clientSecret }),
    });
    expect(mixed.status).toBe(401);
    // Alice's session cookie cannot read Bob's monitor either, by any route.
    const viaCookie = await fx.t.fetch(`/internal/monitors.get?input=${encodeURIComponent(JSON.stringify({ id: b.monitors[0]!.id }))}`, {
      headers: { cookie: `vigil_session=${a.user.jar.get('vigil_session')}` },
    });
    expect(viaCookie.status).toBe(404);
    attempts += 2;
    reportFigures('isolation', { accounts: 2, crossAccountAttempts: attempts });
  });
});
