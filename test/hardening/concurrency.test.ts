import { TRPCClientError } from '@trpc/client';
import autocannon from 'autocannon';
import { afterAll, describe, expect, it } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import type { AppRouter } from '../../src/routers/index.js';
import type { Scheduler } from '../../src/scheduler/port.js';
import { fakeEventBridge } from '../support/fake-eventbridge.js';
import { ORIGIN, startTestApp, type TestApp } from '../support/harness.js';
import { accessToken, partnerOf } from '../public/support.js';
import { reportFigures } from './figures.js';

const PASSWORD = 'correct horse battery';
const figures: Record<string, unknown> = {};
afterAll(() => reportFigures('concurrency', figures));

/** A small deterministic PRNG, so a failing interleaving can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

const outcome = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return (e as TRPCClientError<AppRouter>).data?.code ?? 'error';
  }
};

/** Database, schedules and the plan's usage count must agree exactly. */
async function expectAgreement(t: TestApp, scheduler: Scheduler, accountId: string, label: string) {
  const rows = (await t.svc.db.$client.execute({ sql: 'select id, interval_seconds, paused from monitors where account_id = ? order by id', args: [accountId] })).rows;
  const schedules = (await scheduler.list()).sort((a, b) => a.monitorId.localeCompare(b.monitorId));
  expect(schedules, label).toEqual(rows.map((r) => ({ monitorId: r.id, intervalSeconds: Number(r.interval_seconds), enabled: !Number(r.paused) })));
  return rows.length;
}

describe.each([
  ['local timers', () => ({ scheduler: undefined, restore: () => {} })],
  ['EventBridge (faked at the SDK)', () => {
    const aws = fakeEventBridge();
    return { scheduler: aws.scheduler as Scheduler, restore: () => aws.restore() };
  }],
])('parallel creates, updates and deletes from several sessions (%s)', (name, makeScheduler) => {
  it('leave the database, the schedules and the plan counts in exact agreement', async () => {
    const fake = makeScheduler();
    const t = await startTestApp({ scheduler: fake.scheduler });
    try {
      const owner = await t.signUp(undefined, PASSWORD);
      await setPlanByEmail(t.svc, owner.email, 'solo');
      const sessions = [owner];
      for (let i = 0; i < 3; i++) {
        const c = t.client();
        await c.auth.login.mutate({ email: owner.email, password: PASSWORD });
        sessions.push(Object.assign(c, { user: owner.user, email: owner.email, password: PASSWORD }));
      }
      const random = prng(name.length);
      const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;

      // Round 1: 120 creates at once against a limit of 100.
      const created = await Promise.all(
        Array.from({ length: 120 }, (_, i) => pick(sessions).monitors.create.mutate({ name: `m${i}`, url: `https://example.com/${i}` }).then((m) => m.id, () => null)),
      );
      const ids = created.filter((id): id is string => id !== null);
      expect(ids).toHaveLength(100);

      // Round 2: a storm of updates, pauses and deletes, several aimed at the same monitor at once.
      const ops: Promise<string>[] = [];
      for (let i = 0; i < 300; i++) {
        const id = pick(ids.slice(0, 40));
        const c = pick(sessions);
        const r = random();
        if (r < 0.45) ops.push(outcome(c.monitors.update.mutate({ id, intervalSeconds: 60 * (1 + Math.floor(random() * 10)) })));
        else if (r < 0.85) ops.push(outcome(c.monitors.update.mutate({ id, paused: random() < 0.5 })));
        else ops.push(outcome(c.monitors.delete.mutate({ id })));
      }
      const results = await Promise.all(ops);
      const tally = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r]: (acc[r] ?? 0) + 1 }), {});
      expect(Object.keys(tally).every((k) => ['ok', 'NOT_FOUND'].includes(k)), JSON.stringify(tally)).toBe(true);

      const remaining = await expectAgreement(t, fake.scheduler ?? t.scheduler, owner.user.accountId, name);
      expect((await owner.account.get.query()).usage).toMatchObject({ monitors: remaining });
      figures[name] = { creates: 120, createdUnderLimit: ids.length, mixedOps: ops.length, outcomes: tally, monitorsLeft: remaining };
    } finally {
      await t.close();
      fake.restore();
    }
  }, 60_000);
});

describe('a bounded load run on the local server', () => {
  it('20 s at 50 connections over both APIs: zero 5xx, and every monitor created is there', async () => {
    const t = await startTestApp();
    try {
      const p = await partnerOf(t);
      await setPlanByEmail(t.svc, p.user.email, 'team');
      for (let i = 0; i < 20; i++) await p.user.monitors.create.mutate({ name: `seed${i}`, url: `https://example.com/s${i}` });
      const token = await accessToken(t, p);
      const cookie = `vigil_session=${p.user.jar.get('vigil_session')}`;
      const ids = ((await p.user.monitors.list.query()).items).map((m) => m.id);
      const acknowledged: string[] = [];
      const statuses: Record<number, number> = {};

      const result = await autocannon({
        url: t.baseUrl,
        connections: 50,
        duration: 20,
        // On a loaded shared machine a request can take over autocannon's default 10 s; that is slowness, not failure.
        timeout: 30,
        maxOverallRequests: 200_000,
        headers: { origin: ORIGIN, cookie },
        requests: [
          { method: 'GET', path: '/internal/monitors.list' },
          { method: 'GET', path: `/internal/monitors.get?input=${encodeURIComponent(JSON.stringify({ id: ids[0] }))}` },
          { method: 'GET', path: '/api/v1/monitors?limit=10', headers: { authorization: `Bearer ${token}` } },
          { method: 'GET', path: '/internal/account.get' },
          {
            method: 'POST',
            path: '/internal/monitors.create',
            headers: { 'content-type': 'application/json', origin: ORIGIN, cookie },
            body: JSON.stringify({ name: 'load', url: 'https://example.com/load' }),
            onResponse: (status: number, body: string) => {
              if (status === 200) acknowledged.push((JSON.parse(body) as { result: { data: { id: string } } }).result.data.id);
            },
          },
        ],
        setupClient: (client) => client.on('response', (status: number) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        }),
      } as autocannon.Options);

      const fiveXx = Object.entries(statuses).filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0);
      const loadRows = (await t.svc.db.$client.execute({ sql: "select id from monitors where account_id = ? and name = 'load'", args: [p.user.user.accountId] })).rows;
      const inDb = new Set(loadRows.map((r) => String(r.id)));
      figures['load run'] = { seconds: 20, connections: 50, requests: result.requests.total, reqPerSec: Math.round(result.requests.average), p99Ms: result.latency.p99, statuses, fiveXx, errors: result.errors, timeouts: result.timeouts, monitorsAcknowledged: acknowledged.length, monitorsInDatabase: inDb.size };
      expect(result.errors + result.timeouts).toBe(0);
      expect(fiveXx).toBe(0);
      // Enough requests that all 50 connections overlapped many times; not a throughput figure, which
      // depends on the machine's load (bench/ measures throughput as ratios).
      expect(result.requests.total).toBeGreaterThan(250);
      // Every create the client was told succeeded is there; the only others are the last requests
      // in flight when the run stopped (at most one per connection), and they are whole too.
      expect(acknowledged.filter((id) => !inDb.has(id))).toEqual([]);
      expect(inDb.size - acknowledged.length).toBeLessThanOrEqual(50);
      // The team plan allows 500 monitors: past them, creates are refused with 403, not half-made.
      expect(20 + inDb.size).toBeLessThanOrEqual(500);
      expect(await t.scheduler.list()).toHaveLength(20 + inDb.size);
    } finally {
      await t.close();
    }
  }, 90_000);
});
