import { GetScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile, reconcileDue, SHARDS } from '../../src/monitors/reconcile.js';
import { mapBounded } from '../../src/scheduler/bounded.js';
import { fakeEventBridge } from '../support/fake-eventbridge.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * Reconcile past one Lambda run: it compares the schedule group with the database one id prefix at
 * a time (never the whole group in memory), reads schedules a bounded number at a time, and a pass
 * cut short by its deadline goes on from its cursor in the next run, once a day.
 */
const DAY = 86_400_000;
let aws: ReturnType<typeof fakeEventBridge>;
let t: TestApp;
let now = Date.UTC(2026, 10, 20, 12, 0, 0);

beforeAll(async () => {
  aws = fakeEventBridge();
  t = await startTestApp({ scheduler: aws.scheduler, now: () => now });
});
afterAll(async () => {
  await t.close();
  aws.restore();
});

describe('reconcile in shards', () => {
  it('stops at its deadline, goes on from its cursor, and repairs everything across the two runs', async () => {
    const c = await t.signUp();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await c.monitors.create.mutate({ name: `m${i}`, url: 'http://127.0.0.1:9/' })).id);
    // Drift: ten schedules lost, three left behind by monitors that no longer exist.
    for (const id of ids.slice(0, 10)) aws.store.delete(id);
    for (const orphan of ['mon_0orphan', 'mon_korphan', 'mon_zorphan']) {
      aws.store.set(orphan, { ...aws.store.get(ids[10]!)!, Name: orphan });
    }
    aws.schedulerMock.resetHistory();

    // The first run's clock passes its deadline after a dozen shards.
    let reads = 0;
    const started = now;
    const first = await reconcile({ ...t.svc, now: () => started + (reads++ > 12 ? 60_000 : 0) }, { deadline: started + 30_000 });
    expect(first.done).toBe(false);
    expect(first.shards).toBeGreaterThan(0);
    expect(first.shards).toBeLessThan(SHARDS.length);
    expect(await reconcileDue(t.svc, DAY)).toBe(true); // a pass is under way

    const second = await reconcile(t.svc);
    expect(second.done).toBe(true);
    expect(first.shards + second.shards).toBe(SHARDS.length);
    expect(first.created + second.created).toBe(10);
    expect(first.removed + second.removed).toBe(3);
    expect([...aws.store.keys()].sort()).toEqual([...ids].sort());

    // Every listing named a prefix: the group was never read whole.
    const listings = aws.schedulerMock.commandCalls(ListSchedulesCommand).map((x) => x.args[0].input.NamePrefix);
    expect(listings.length).toBe(SHARDS.length);
    expect(listings.every((p) => p !== undefined && SHARDS.includes(p))).toBe(true);

    // Done for the day; due again a day later.
    expect(await reconcileDue(t.svc, DAY)).toBe(false);
    now += DAY;
    expect(await reconcileDue(t.svc, DAY)).toBe(true);
  }, 60_000);

  it('reads the schedules of a shard with at most 16 reads in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapBounded(Array.from({ length: 100 }, (_, i) => i), 16, async (i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return i * 2;
    });
    expect(most).toBe(16);
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
    // And the adapter reads each schedule of the shard once.
    aws.schedulerMock.resetHistory();
    await reconcile(t.svc);
    expect(aws.schedulerMock.commandCalls(GetScheduleCommand).length).toBe(aws.store.size);
  });
});
