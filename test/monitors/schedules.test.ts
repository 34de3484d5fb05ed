import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { monitors } from '../../src/db/schema.js';
import { createLogger } from '../../src/log.js';
import { LocalScheduler } from '../../src/scheduler/local.js';
import { reconcile } from '../../src/monitors/reconcile.js';
import { appWithFakeAws, SETTINGS } from '../support/fake-eventbridge.js';
import { startTestApp } from '../support/harness.js';
import { httpStatusOf } from '../support/http-status.js';

const site = { name: 'API', url: 'https://api.example.com/health' };

describe('EventBridge adapter: exact commands', () => {
  const env = appWithFakeAws();
  beforeEach(() => env.aws.schedulerMock.resetHistory());

  const expectedInput = (id: string, expression: string, state: 'ENABLED' | 'DISABLED') => ({
    Name: id,
    GroupName: SETTINGS.group,
    ScheduleExpression: expression,
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: state,
    Target: {
      Arn: SETTINGS.checkerArn,
      RoleArn: SETTINGS.roleArn,
      Input: JSON.stringify({ monitorId: id, scheduledAt: '<aws.scheduler.scheduled-time>' }),
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
      DeadLetterConfig: { Arn: SETTINGS.deadLetterArn },
    },
  });

  it('creates, updates the rate, pauses, resumes and deletes', async () => {
    const c = await env.t.signUp();
    const m = await c.monitors.create.mutate(site);
    expect(env.aws.schedulerMock.commandCalls(CreateScheduleCommand).map((x) => x.args[0].input)).toEqual([
      expectedInput(m.id, 'rate(5 minutes)', 'ENABLED'),
    ]);
    // The first check runs at once, asynchronously.
    expect(env.aws.lambdaMock.commandCalls(InvokeCommand).at(-1)?.args[0].input).toMatchObject({
      FunctionName: SETTINGS.checkerArn,
      InvocationType: 'Event',
    });
    expect(env.aws.invoked).toContain(m.id);

    await c.monitors.update.mutate({ id: m.id, intervalSeconds: 900 });
    await c.monitors.update.mutate({ id: m.id, paused: true });
    await c.monitors.update.mutate({ id: m.id, paused: false });
    await c.monitors.update.mutate({ id: m.id, name: 'renamed' }); // no schedule change, no call
    expect(env.aws.schedulerMock.commandCalls(UpdateScheduleCommand).map((x) => x.args[0].input)).toEqual([
      expectedInput(m.id, 'rate(15 minutes)', 'ENABLED'),
      expectedInput(m.id, 'rate(15 minutes)', 'DISABLED'),
      expectedInput(m.id, 'rate(15 minutes)', 'ENABLED'),
    ]);

    await c.monitors.delete.mutate({ id: m.id });
    expect(env.aws.schedulerMock.commandCalls(DeleteScheduleCommand).map((x) => x.args[0].input)).toEqual([
      { Name: m.id, GroupName: SETTINGS.group },
    ]);
    expect(env.aws.store.has(m.id)).toBe(false);
  });

  it('treats an existing schedule on create as an update, and a missing one on delete as done', async () => {
    await env.aws.scheduler.create({ monitorId: 'mon_x', intervalSeconds: 300, enabled: true });
    await env.aws.scheduler.create({ monitorId: 'mon_x', intervalSeconds: 600, enabled: false });
    expect(env.aws.store.get('mon_x')).toMatchObject({ ScheduleExpression: 'rate(10 minutes)', State: 'DISABLED' });
    await env.aws.scheduler.remove('mon_x');
    await expect(env.aws.scheduler.remove('mon_x')).resolves.toBeUndefined();
    await env.aws.scheduler.update({ monitorId: 'mon_y', intervalSeconds: 60, enabled: true });
    expect(env.aws.store.get('mon_y')?.ScheduleExpression).toBe('rate(1 minute)');
    env.aws.store.delete('mon_y');
  });
});

describe('faults at the scheduler leave database and schedules consistent', () => {
  const env = appWithFakeAws();
  afterEach(() => env.aws.failing.clear());

  const status = httpStatusOf;
  const dbIds = async () => (await env.t.svc.db.select({ id: monitors.id }).from(monitors)).map((r) => r.id).sort();

  it('create: the monitor does not remain and the caller gets 503', async () => {
    const c = await env.t.signUp();
    env.aws.failing.add('create');
    expect(await status(c.monitors.create.mutate(site))).toBe(503);
    expect((await c.monitors.list.query()).items).toEqual([]);
    expect(await dbIds()).toEqual([...env.aws.store.keys()].sort());
  });

  it('delete: the monitor stays, whole, and the caller learns it', async () => {
    const c = await env.t.signUp();
    const m = await c.monitors.create.mutate(site);
    env.aws.failing.add('delete');
    expect(await status(c.monitors.delete.mutate({ id: m.id }))).toBe(503);
    expect((await c.monitors.get.query({ id: m.id })).id).toBe(m.id);
    expect(env.aws.store.has(m.id)).toBe(true);
    env.aws.failing.clear();
    await c.monitors.delete.mutate({ id: m.id });
    expect(env.aws.store.has(m.id)).toBe(false);
  });

  it('update: the old state stays in both places', async () => {
    const c = await env.t.signUp();
    const m = await c.monitors.create.mutate(site);
    env.aws.failing.add('update');
    expect(await status(c.monitors.update.mutate({ id: m.id, intervalSeconds: 1200, name: 'new' }))).toBe(503);
    const after = await c.monitors.get.query({ id: m.id });
    expect(after).toMatchObject({ intervalSeconds: 300, name: site.name });
    expect(env.aws.store.get(m.id)?.ScheduleExpression).toBe('rate(5 minutes)');
  });

  it('update: a database failure after the schedule changed puts the schedule back', async () => {
    const c = await env.t.signUp();
    const m = await c.monitors.create.mutate(site);
    // Make the database refuse this one monitor's update, as a failed write would.
    await env.t.svc.db.$client.execute(
      `CREATE TRIGGER fail_update BEFORE UPDATE ON monitors WHEN NEW.id = '${m.id}' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`,
    );
    try {
      expect(await status(c.monitors.update.mutate({ id: m.id, paused: true }))).toBe(500);
    } finally {
      await env.t.svc.db.$client.execute('DROP TRIGGER fail_update');
    }
    expect(env.aws.store.get(m.id)?.State).toBe('ENABLED');
    expect((await c.monitors.get.query({ id: m.id })).paused).toBe(false);
    expect(env.t.logs.join('\n')).not.toContain('disk I/O error\n    at');
  });
});

describe('reconcile repairs drift both ways', () => {
  const env = appWithFakeAws();

  it('creates missing, deletes orphaned, fixes wrong rate and state', async () => {
    const c = await env.t.signUp();
    const [a, b, d] = [
      await c.monitors.create.mutate({ ...site, name: 'a' }),
      await c.monitors.create.mutate({ ...site, name: 'b' }),
      await c.monitors.create.mutate({ ...site, name: 'd', paused: true }),
    ];
    env.aws.store.delete(a.id); // lost schedule
    env.aws.store.set('mon_orphan', { ...env.aws.store.get(b.id)!, Name: 'mon_orphan' }); // schedule without monitor
    env.aws.store.set(b.id, { ...env.aws.store.get(b.id)!, ScheduleExpression: 'rate(1 minute)' }); // wrong rate
    env.aws.store.set(d.id, { ...env.aws.store.get(d.id)!, State: 'ENABLED' }); // wrong state

    const report = await reconcile(env.t.svc);
    expect(report).toMatchObject({ created: 1, removed: 1, updated: 2, failed: 0 });
    expect([...env.aws.store.keys()].sort()).toEqual([a.id, b.id, d.id].sort());
    expect(env.aws.store.get(a.id)?.ScheduleExpression).toBe('rate(5 minutes)');
    expect(env.aws.store.get(b.id)?.ScheduleExpression).toBe('rate(5 minutes)');
    expect(env.aws.store.get(d.id)?.State).toBe('DISABLED');
    expect(await reconcile(env.t.svc)).toMatchObject({ created: 0, removed: 0, updated: 0, failed: 0 });
  });

  it('keeps going when one repair fails, and reports it', async () => {
    const c = await env.t.signUp();
    const m = await c.monitors.create.mutate(site);
    env.aws.store.delete(m.id);
    env.aws.failing.add('create');
    try {
      expect((await reconcile(env.t.svc)).failed).toBe(1);
    } finally {
      env.aws.failing.clear();
    }
    expect((await reconcile(env.t.svc)).created).toBe(1);
    expect(env.aws.store.has(m.id)).toBe(true);
  });
});

describe('local scheduler', () => {
  afterEach(() => vi.useRealTimers());

  it('fires at each interval, stops when paused or removed', async () => {
    vi.useFakeTimers();
    const fired: string[] = [];
    const s = new LocalScheduler(createLogger(() => undefined));
    s.attach(async (id) => void fired.push(id));
    await s.create({ monitorId: 'mon_a', intervalSeconds: 60, enabled: true });
    await s.create({ monitorId: 'mon_b', intervalSeconds: 300, enabled: true });
    await s.create({ monitorId: 'mon_p', intervalSeconds: 60, enabled: false });

    await vi.advanceTimersByTimeAsync(59_000);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fired).toEqual(['mon_a']);
    await vi.advanceTimersByTimeAsync(240_000);
    expect(fired.filter((x) => x === 'mon_a')).toHaveLength(5);
    expect(fired.filter((x) => x === 'mon_b')).toHaveLength(1);

    await s.update({ monitorId: 'mon_a', intervalSeconds: 60, enabled: false });
    await s.remove('mon_b');
    fired.length = 0;
    await vi.advanceTimersByTimeAsync(600_000);
    expect(fired).toEqual([]);
    expect(await s.list()).toEqual([
      { monitorId: 'mon_a', intervalSeconds: 60, enabled: false },
      { monitorId: 'mon_p', intervalSeconds: 60, enabled: false },
    ]);
    s.stop();
  });

  it('a late tick (a slow boot, a blocked event loop) shifts no later tick; a stall longer than a period is one check, not a burst', async () => {
    vi.useFakeTimers();
    const fired: { id: string; at: number; dueAt: number }[] = [];
    const s = new LocalScheduler(createLogger(() => undefined));
    s.attach(async (id, dueAt) => void fired.push({ id, at: Date.now(), dueAt }));
    const t0 = Date.now();
    await s.create({ monitorId: 'mon_a', intervalSeconds: 60, enabled: true, lastCheckedAt: t0 - 50_000 }); // due at t0 + 10 s
    // The event loop is blocked for 15 s (the wall clock moves, the timers do not): the first tick runs 15 s late.
    vi.setSystemTime(t0 + 15_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fired).toEqual([{ id: 'mon_a', at: t0 + 25_000, dueAt: t0 + 10_000 }]);
    // The next one keeps the phase: at t0 + 70 s, not 60 s after the late one.
    await vi.advanceTimersByTimeAsync(44_999);
    expect(fired).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired[1]).toEqual({ id: 'mon_a', at: t0 + 70_000, dueAt: t0 + 70_000 });
    // Blocked for three periods: one check when it wakes, then back on the phase.
    vi.setSystemTime(t0 + 250_000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired.slice(2)).toEqual([{ id: 'mon_a', at: t0 + 310_000, dueAt: t0 + 130_000 }]);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(fired).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired.slice(3)).toEqual([{ id: 'mon_a', at: t0 + 370_000, dueAt: t0 + 370_000 }]);
    s.stop();
  });

  it('runs at most maxConcurrent checks at once; the others wait their turn in due order', async () => {
    vi.useFakeTimers();
    const started: string[] = [];
    let active = 0;
    let most = 0;
    const s = new LocalScheduler(createLogger(() => undefined), Date.now, 2);
    s.attach(async (id) => {
      started.push(id);
      most = Math.max(most, ++active);
      await new Promise((r) => setTimeout(r, 1_000));
      active--;
    });
    const ids = ['mon_1', 'mon_2', 'mon_3', 'mon_4', 'mon_5'];
    for (const id of ids) await s.create({ monitorId: id, intervalSeconds: 60, enabled: true });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(started).toEqual(['mon_1', 'mon_2']);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(started).toEqual(ids);
    expect(most).toBe(2);
    s.stop();
  });

  it('gives every monitor created through the API a timer, and drops it on delete', async () => {
    const t = await startTestApp();
    try {
      const c = await t.signUp();
      const m = await c.monitors.create.mutate(site);
      expect(await t.scheduler.list()).toContainEqual({ monitorId: m.id, intervalSeconds: 300, enabled: true });
      await c.monitors.delete.mutate({ id: m.id });
      expect((await t.scheduler.list()).map((x) => x.monitorId)).not.toContain(m.id);
      const row = await t.svc.db.query.monitors.findFirst({ where: eq(monitors.id, m.id) });
      expect(row).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
