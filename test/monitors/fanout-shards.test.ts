import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { recordCheck } from '../../src/checker/record.js';
import { monitors } from '../../src/db/schema.js';
import { switchCheckMode } from '../../src/monitors/check-mode.js';
import { getMonitor } from '../../src/monitors/reads.js';
import { EventBridgeShards } from '../../src/scheduler/eventbridge.js';
import { FanoutScheduler } from '../../src/scheduler/fanout.js';
import type { Scheduler } from '../../src/scheduler/port.js';
import { appWithFakeAws, SETTINGS } from '../support/fake-eventbridge.js';

const now = Date.UTC(2026, 6, 1, 8, 0);
const site = { name: 'API', url: 'https://api.example.com/health' };
const env = appWithFakeAws({ now: () => now });
/** Fan-out over the faked EventBridge, with shards of `size` monitors. */
const fanout = (size: number) =>
  new FanoutScheduler({
    db: env.t.svc.db,
    now: () => now,
    shardSize: size,
    shards: new EventBridgeShards(new SchedulerClient({ region: 'eu-west-1' }), SETTINGS),
    runNow: (id, at) => env.aws.scheduler.triggerNow(id, at),
  });
const use = (scheduler: Scheduler) => ((env.t.svc as { scheduler: Scheduler }).scheduler = scheduler);
/** The creates and deletes sent, in order. */
const calls = () =>
  env.aws.schedulerMock
    .calls()
    .filter((c) => c.args[0] instanceof CreateScheduleCommand || c.args[0] instanceof DeleteScheduleCommand)
    .map((c) => `${c.args[0] instanceof CreateScheduleCommand ? 'create' : 'delete'} ${(c.args[0].input as { Name: string }).Name}`);
const nextCheckOf = async (id: string) => (await env.t.svc.db.select({ at: monitors.nextCheckAt }).from(monitors).where(eq(monitors.id, id)))[0]?.at;

describe('switching check modes', () => {
  it('into fan-out: next checks from the newest check, shard schedules before the per-monitor ones go; and back', async () => {
    const c = await env.t.signUp();
    const checked = await c.monitors.create.mutate({ ...site, name: 'checked' });
    const fresh = await c.monitors.create.mutate({ ...site, name: 'fresh' });
    const paused = await c.monitors.create.mutate({ ...site, name: 'paused', paused: true });
    const checkedAt = now - 100_000;
    await recordCheck(env.t.svc, await getMonitor(env.t.svc, c.user.accountId, checked.id), { ok: true, statusCode: 200, responseTimeMs: 5, reason: null, certExpiresAt: null }, checkedAt);
    expect(env.aws.store.size).toBeGreaterThanOrEqual(3);

    const into = fanout(1000);
    env.aws.schedulerMock.resetHistory();
    const report = await switchCheckMode(env.t.svc, env.aws.scheduler, into);
    expect(report).toMatchObject({ to: 'fan-out', shards: 1 });
    // Every monitor keeps its turn: a full interval after its newest check, at once when never checked.
    expect(await nextCheckOf(checked.id)).toBe(checkedAt + 300_000);
    expect(await nextCheckOf(fresh.id)).toBe(now);
    expect(await nextCheckOf(paused.id)).toBeNull();
    const order = calls();
    expect(order[0]).toBe('create fanout-1-0');
    expect(order.slice(1).every((c) => c.startsWith('delete mon_'))).toBe(true);
    expect([...env.aws.store.keys()]).toEqual(['fanout-1-0']);
    expect(JSON.parse(env.aws.store.get('fanout-1-0')!.Target!.Input!)).toEqual({ shard: 0, shards: 1, scheduledAt: '<aws.scheduler.scheduled-time>' });
    expect(env.aws.store.get('fanout-1-0')).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED', Target: { Arn: SETTINGS.checkerArn } });

    // Back: the per-monitor schedules exist before the shard's goes.
    env.aws.schedulerMock.resetHistory();
    const back = await switchCheckMode(env.t.svc, into, env.aws.scheduler);
    expect(back.to).toBe('per-monitor');
    const backOrder = calls();
    expect(backOrder.at(-1)).toBe('delete fanout-1-0');
    expect(backOrder.slice(0, -1).every((c) => c.startsWith('create mon_'))).toBe(true);
    expect(env.aws.store.get(paused.id)?.State).toBe('DISABLED');
    expect(env.aws.store.get(checked.id)?.State).toBe('ENABLED');
    expect(env.aws.store.has('fanout-1-0')).toBe(false);
    expect(await nextCheckOf(checked.id)).toBeNull();
  });
});

describe('fan-out shards follow the monitor count', () => {
  it('doubles when a shard would be over its size (the new set before the old is deleted), and halves back', async () => {
    const s = fanout(2);
    use(s);
    try {
      env.aws.store.clear();
      const c = await env.t.signUp();
      // The other tests' monitors count too: start from what is there.
      const start = await s.rebalance({ repair: true });
      env.aws.schedulerMock.resetHistory();
      const ids: string[] = [];
      while ((await s.shardCount()) === start) ids.push((await c.monitors.create.mutate({ ...site, name: `m${ids.length}` })).id);
      const grown = await s.shardCount();
      expect(grown).toBe(start * 2);
      const order = calls();
      const created = order.filter((x) => x.startsWith('create'));
      expect(created.sort()).toEqual(Array.from({ length: grown }, (_, i) => `create fanout-${grown}-${i}`).sort());
      expect(order.indexOf(`delete fanout-${start}-0`)).toBeGreaterThan(Math.max(...created.map((x) => order.indexOf(x))));
      expect([...env.aws.store.keys()].sort()).toEqual(Array.from({ length: grown }, (_, i) => `fanout-${grown}-${i}`).sort());
      // The new monitors' schedules are their next checks, not schedules of their own.
      expect([...env.aws.store.keys()].some((k) => k.startsWith('mon_'))).toBe(false);
      expect(await nextCheckOf(ids[0]!)).toBe(now + 300_000);

      for (const id of ids) await c.monitors.delete.mutate({ id });
      expect(await s.shardCount()).toBe(start);
      expect([...env.aws.store.keys()].sort()).toEqual(Array.from({ length: start }, (_, i) => `fanout-${start}-${i}`).sort());
    } finally {
      use(env.aws.scheduler);
    }
  });

  it('reconcile puts back a shard schedule deleted by hand, and a running monitor’s next check', async () => {
    const s = fanout(1000);
    use(s);
    try {
      const c = await env.t.signUp();
      const m = await c.monitors.create.mutate(site);
      const n = await s.shardCount();
      env.aws.store.delete(`fanout-${n}-0`);
      await env.t.svc.db.update(monitors).set({ nextCheckAt: null }).where(eq(monitors.id, m.id));
      const { reconcile } = await import('../../src/monitors/reconcile.js');
      const report = await reconcile(env.t.svc);
      expect(report.updated).toBeGreaterThanOrEqual(1);
      expect(env.aws.store.has(`fanout-${n}-0`)).toBe(true);
      expect(await nextCheckOf(m.id)).toBe(now + 300_000);
    } finally {
      use(env.aws.scheduler);
    }
  });
});

describe('shard schedules on AWS', () => {
  it('start at their own seconds of the minute, from the next whole minute, so the shards never all tick at once', async () => {
    const at = Date.UTC(2026, 6, 1, 8, 0, 23, 500);
    const shardsAt = (clock: number) => new EventBridgeShards(new SchedulerClient({ region: 'eu-west-1' }), SETTINGS, () => clock);
    await shardsAt(at).retire(8);
    env.aws.schedulerMock.resetHistory();
    await shardsAt(at).ensure(8);
    const creates = env.aws.schedulerMock.calls().filter((c) => c.args[0] instanceof CreateScheduleCommand).map((c) => c.args[0].input as { Name: string; StartDate?: Date; ScheduleExpression: string });
    expect(creates).toHaveLength(8);
    const byName = new Map(creates.map((c) => [c.Name, c]));
    const starts = Array.from({ length: 8 }, (_, i) => byName.get(`fanout-8-${i}`)!.StartDate!.getTime());
    const minute = Date.UTC(2026, 6, 1, 8, 1);
    // Shard i of 8 at i × 7.5 s past the minute, in whole seconds; all after now, within the next minute.
    expect(starts.map((s) => (s - minute) / 1000)).toEqual([0, 7, 15, 22, 30, 37, 45, 52]);
    expect(new Set(starts.map((s) => new Date(s).getUTCSeconds())).size).toBe(8);
    expect(creates.every((c) => c.ScheduleExpression === 'rate(1 minute)')).toBe(true);
    // Deleted and made again (reconcile's repair), a schedule keeps its shard's second.
    await shardsAt(at).retire(8);
    env.aws.schedulerMock.resetHistory();
    await shardsAt(at + 3_600_000).ensure(8);
    const again = env.aws.schedulerMock.calls().filter((c) => c.args[0] instanceof CreateScheduleCommand).map((c) => c.args[0].input as { Name: string; StartDate: Date });
    expect(again.find((c) => c.Name === 'fanout-8-3')!.StartDate.getUTCSeconds()).toBe(22);
    await shardsAt(at).retire(8);
  });
});
