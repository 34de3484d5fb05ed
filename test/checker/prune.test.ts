import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { prune } from '../../src/checker/prune.js';
import { recordCheck } from '../../src/checker/record.js';
import { readForCheck } from '../../src/checker/run.js';
import { RollupDeltas, rollupUpsert } from '../../src/db/accrual.js';
import { checks, monitors, rollups } from '../../src/db/schema.js';
import type { ProbeResult } from '../../src/probes/result.js';
import { HOURLY_ROLLUPS_KEPT_MS } from '../../src/domain/time.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * Retention at scale: prune deletes in bounded chunks (no statement holds the write lock for a
 * whole day's rows), can stop at a deadline and finish on the next run, and leaves every check a
 * plan still keeps. (That each plan keeps its own days is in test/checker/run.test.ts.)
 */
const DAY = 86_400_000;
let t: TestApp;
/** The injected clock: fixed, except where a test moves it (and puts it back). */
let now = Date.UTC(2026, 10, 20, 12, 0, 0);

beforeAll(async () => {
  t = await startTestApp({ now: () => now });
});
afterAll(async () => {
  await t.close();
});

/** Writes `perMonitor` checks a day apart for each monitor, the newest `newestAgeDays` and a half old, in bulk. */
async function seedChecks(monitorIds: string[], perMonitor: number, newestAgeDays: number) {
  const rows = monitorIds.flatMap((monitorId) =>
    Array.from({ length: perMonitor }, (_, i) => ({
      monitorId,
      checkedAt: new Date(now - (newestAgeDays + i) * DAY - DAY / 2), // half a day off any plan's cutoff
      ok: true,
      statusCode: 200,
      responseTimeMs: 10,
    })),
  );
  for (let i = 0; i < rows.length; i += 500) await t.svc.db.insert(checks).values(rows.slice(i, i + 500) );
}

const count = async (monitorId?: string) =>
  (await t.svc.db.select({ n: sql<number>`count(*)` }).from(checks).where(monitorId ? eq(checks.monitorId, monitorId) : undefined))[0]!.n;

describe('prune in bounded chunks', () => {
  it('never deletes more than a chunk in one statement, and leaves exactly what each plan keeps', async () => {
    const free = await t.signUp();
    const solo = await t.signUp();
    await setPlanByEmail(t.svc, solo.email, 'solo');
    const ids: string[] = [];
    for (const c of [free, solo]) {
      for (let i = 0; i < 5; i++) ids.push((await c.monitors.create.mutate({ name: `m${i}`, url: 'http://127.0.0.1:9/' })).id);
    }
    // 120 days of one check a day for each of 10 monitors: Free keeps 30 of them, Solo 90.
    await seedChecks(ids, 120, 0);
    const before = await count();

    const r = await prune(t.svc, { chunk: 50, monitorsPerPage: 2 });

    expect(r.done).toBe(true);
    expect(r.largestDelete).toBeLessThanOrEqual(50);
    expect(r.statements).toBeGreaterThanOrEqual(Math.ceil(r.deleted / 50));
    const freeIds = ids.slice(0, 5);
    const soloIds = ids.slice(5);
    for (const id of freeIds) expect(await count(id)).toBe(30);
    for (const id of soloIds) expect(await count(id)).toBe(90);
    expect(before - (await count())).toBe(r.deleted);
    expect(r.deleted).toBe(5 * 90 + 5 * 30);
  }, 60_000);

  it('stops at its deadline having lost nothing, and the next run finishes the job', async () => {
    const c = await t.signUp();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await c.monitors.create.mutate({ name: `d${i}`, url: 'http://127.0.0.1:9/' })).id);
    await seedChecks(ids, 60, 31); // every one past Free's 30 days
    // The clock reaches the deadline after three statements' worth of time.
    let calls = 0;
    const started = now;
    const clocked = { ...t.svc, now: () => started + (calls++ >= 6 ? 10_000 : 0) };
    // One page holds every monitor (the earlier tests' too), so the clock's budget is spent on this test's deletes.
    const first = await prune(clocked, { chunk: 20, monitorsPerPage: 1_000, deadline: started + 5_000 });
    expect(first.done).toBe(false);
    expect(first.deleted).toBeGreaterThan(0);
    const left = await Promise.all(ids.map(count));
    expect(left.reduce((a, b) => a + b, 0)).toBe(4 * 60 - first.deleted);

    const second = await prune(t.svc, { chunk: 20, monitorsPerPage: 1 });
    expect(second.done).toBe(true);
    for (const id of ids) expect(await count(id)).toBe(0);
    // The monitors themselves are untouched.
    expect(await t.svc.db.select({ id: monitors.id }).from(monitors).where(inArray(monitors.id, ids))).toHaveLength(4);
  }, 60_000);

  it('deletes no rollup: 92 days on, an hour reuses the slot of the hour 92 days older, counted afresh, and the uptime figures stay the same', async () => {
    const c = await t.signUp();
    await setPlanByEmail(t.svc, c.email, 'team');
    const m = await c.monitors.create.mutate({ name: 'hours', url: 'http://127.0.0.1:9/' });
    const up: ProbeResult = { ok: true, statusCode: 200, responseTimeMs: 10, reason: null, certExpiresAt: null };
    const down: ProbeResult = { ...up, ok: false, statusCode: 503, reason: 'HTTP 503' };
    const fixed = now;
    const record = async (at: number, result: ProbeResult) => {
      now = at;
      await recordCheck(t.svc, (await readForCheck(t.svc.db, m.id))!, result, at);
    };
    const hoursOf = () =>
      t.svc.db
        .select({ bucketStart: rollups.bucketStart, checks: rollups.checks, okChecks: rollups.okChecks, downMs: rollups.downMs })
        .from(rollups)
        .where(and(eq(rollups.monitorId, m.id), eq(rollups.grain, 'hour')))
        .orderBy(rollups.bucketStart);
    const figures = async () => {
      const { uptime24h, uptime7d, uptime30d, uptime90d } = await c.monitors.get.query({ id: m.id });
      return { uptime24h, uptime7d, uptime30d, uptime90d, bars: (await c.monitors.uptimeDays.query({ id: m.id })).days.map((d) => d.uptime) };
    };
    try {
      // Down for the first half hour, then a check an hour for two hours: three hourly rows.
      await record(fixed, down);
      await record(fixed + 1_800_000, up);
      await record(fixed + 3_600_000, up);
      await record(fixed + 7_200_000, up);
      expect((await hoursOf()).map((h) => [h.bucketStart, h.checks, h.downMs])).toEqual([
        [fixed, 2, 1_800_000],
        [fixed + 3_600_000, 1, 0],
        [fixed + 7_200_000, 1, 0],
      ]);

      // 92 days on, the first hour is read by no window; prune leaves every rollup alone.
      now = fixed + HOURLY_ROLLUPS_KEPT_MS;
      await c.auth.login.mutate({ email: c.email, password: c.password }); // the session of 92 days ago has expired
      const before = await figures();
      const result = await prune(t.svc, { chunk: 2 });
      expect(result.done).toBe(true);
      expect(result).not.toHaveProperty('hourlyRollupsDeleted');
      expect(await hoursOf()).toHaveLength(3);

      // A check in that hour, 92 days on, overwrites the old hour's row: its checks and its half hour
      // down are not added to the new hour (24 h uptime would show the outage of 92 days ago).
      await record(fixed + HOURLY_ROLLUPS_KEPT_MS, up);
      expect(await hoursOf()).toEqual([
        { bucketStart: fixed + 3_600_000, checks: 1, okChecks: 1, downMs: 0 },
        { bucketStart: fixed + 7_200_000, checks: 1, okChecks: 1, downMs: 0 },
        { bucketStart: fixed + HOURLY_ROLLUPS_KEPT_MS, checks: 1, okChecks: 1, downMs: 0 },
      ]);
      expect(await figures()).toEqual(before);
      expect(before).toMatchObject({ uptime24h: 100, uptime30d: 100, uptime90d: 100 });

      // A late write of the old hour does not overwrite the newer hour that holds its slot now.
      const late = rollupUpsert(m.id, new RollupDeltas().accrue(fixed, fixed + 60_000, 'down'));
      await t.svc.db.$client.execute(late!);
      expect((await hoursOf()).at(-1)).toEqual({ bucketStart: fixed + HOURLY_ROLLUPS_KEPT_MS, checks: 1, okChecks: 1, downMs: 0 });
    } finally {
      now = fixed;
    }
  }, 60_000);
});
