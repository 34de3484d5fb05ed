import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { prune } from '../../src/checker/prune.js';
import { recordCheck } from '../../src/checker/record.js';
import { readForCheck } from '../../src/checker/run.js';
import { checks, monitors, rollups } from '../../src/db/schema.js';
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

  it('deletes hourly rollups once no screen reads them (92 days), and the 90-day bars stay the same', async () => {
    const c = await t.signUp();
    await setPlanByEmail(t.svc, c.email, 'team');
    const m = await c.monitors.create.mutate({ name: 'hours', url: 'http://127.0.0.1:9/' });
    const up = { ok: true, statusCode: 200, responseTimeMs: 10, reason: null, certExpiresAt: null };
    const fixed = now;
    const hoursOf = async () =>
      (await t.svc.db.select({ at: rollups.bucketStart }).from(rollups).where(and(eq(rollups.monitorId, m.id), eq(rollups.grain, 'hour')))).map((r) => r.at).sort();
    const daysOf = async () => (await t.svc.db.select({ n: sql<number>`count(*)` }).from(rollups).where(and(eq(rollups.monitorId, m.id), eq(rollups.grain, 'day'))))[0]!.n;
    try {
      // A check an hour for three hours, then one 91 days later.
      for (let h = 0; h < 3; h++) {
        now = fixed + h * 3_600_000;
        await recordCheck(t.svc, (await readForCheck(t.svc.db, m.id))!, up, now);
      }
      now = fixed + 91 * DAY;
      await recordCheck(t.svc, (await readForCheck(t.svc.db, m.id))!, up, now);
      const hours = await hoursOf();
      expect(hours).toHaveLength(4);

      // 91 days on, the first hours are still read (by the 90-day bars' day counts): nothing goes.
      expect(await prune(t.svc, { chunk: 2 })).toMatchObject({ hourlyRollupsDeleted: 0, done: true });
      expect(await hoursOf()).toEqual(hours);

      // Past 92 days they go, in chunks, and neither the newest hour nor any daily row goes with them.
      now = fixed + 92 * DAY + 3 * 3_600_000;
      // Signed in again: the session of 92 days ago has expired.
      await c.auth.login.mutate({ email: c.email, password: c.password });
      const bars = (await c.monitors.uptimeDays.query({ id: m.id })).days;
      const days = await daysOf();
      const r = await prune(t.svc, { chunk: 2 });
      expect(r).toMatchObject({ hourlyRollupsDeleted: 3, done: true });
      expect(r.largestDelete).toBeLessThanOrEqual(2);
      expect(await hoursOf()).toEqual(hours.slice(3));
      expect(await daysOf()).toBe(days);
      expect((await c.monitors.uptimeDays.query({ id: m.id })).days).toEqual(bars);
    } finally {
      now = fixed;
    }
  }, 60_000);
});
