import { DeleteScheduleCommand } from '@aws-sdk/client-scheduler';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { prune } from '../../src/checker/prune.js';
import { recordCheck } from '../../src/checker/record.js';
import { runCheck } from '../../src/checker/run.js';
import { checks, incidents, monitors, rollups } from '../../src/db/schema.js';
import { LocalScheduler } from '../../src/scheduler/local.js';
import { fakeEventBridge } from '../support/fake-eventbridge.js';
import { appAndTarget } from '../support/app-and-target.js';
import { startTestApp } from '../support/harness.js';

let now = Date.UTC(2026, 10, 20, 12, 0, 0);
const fx = appAndTarget({ now: () => now });

const fast = { confirmDelayMs: 0 };

async function newMonitor(extra: Record<string, unknown> = {}) {
  const c = await fx.t.signUp();
  const m = await c.monitors.create.mutate({ name: 'target', url: fx.target.url, ...extra });
  return { c, m };
}

const state = (id: string) => fx.t.svc.db.query.monitors.findFirst({ where: eq(monitors.id, id) });
const incidentsOf = (id: string) => fx.t.svc.db.select().from(incidents).where(eq(incidents.monitorId, id));

describe('runCheck', () => {
  it('records an up check: state, check row, rollups', async () => {
    fx.target.always = 200;
    const { c, m } = await newMonitor();
    const outcome = await runCheck(fx.t.svc, m.id, fast);
    expect(outcome).toMatchObject({ kind: 'checked', verdict: { status: 'up', changed: true }, confirmed: false });
    const after = await c.monitors.get.query({ id: m.id });
    // SLA-true uptime: no time has passed since the first check, so nothing of the window is observed yet.
    expect(after).toMatchObject({ status: 'up', lastStatusCode: 200, lastReason: null, uptime24h: null });
    expect(after.lastCheckedAt).toBe(new Date(now).toISOString());
    expect(after.lastResponseTimeMs).toBeGreaterThanOrEqual(0);
    const history = await c.monitors.checks.query({ id: m.id });
    expect(history.items).toEqual([
      { checkedAt: new Date(now).toISOString(), ok: true, statusCode: 200, responseTimeMs: after.lastResponseTimeMs, reason: null, regions: null },
    ]);
    // A check writes its hour's counters only; the day's are summed from its hours.
    const r = await fx.t.svc.db.select().from(rollups).where(eq(rollups.monitorId, m.id));
    expect(r.map((x) => [x.grain, x.checks, x.okChecks])).toEqual([['hour', 1, 1]]);
    const { days } = await c.monitors.uptimeDays.query({ id: m.id });
    expect(days.at(-1)).toMatchObject({ date: new Date(now).toISOString().slice(0, 10), checks: 1 });
  });

  it('keeps a monitor up through one transient failure (confirmation re-check)', async () => {
    fx.target.always = 200;
    const { m } = await newMonitor();
    await runCheck(fx.t.svc, m.id, fast);
    const before = fx.target.hits;
    fx.target.answer(503); // one blip, then healthy again
    const outcome = await runCheck(fx.t.svc, m.id, fast);
    expect(fx.target.hits - before).toBe(2);
    expect(outcome).toMatchObject({ kind: 'checked', confirmed: true, verdict: { status: 'up', changed: false } });
    expect((await state(m.id))?.status).toBe('up');
    expect(await incidentsOf(m.id)).toEqual([]);
  });

  it('turns down after two failures in a row, opens an incident, and resolves it when up again', async () => {
    fx.target.always = 200;
    const { c, m } = await newMonitor();
    await runCheck(fx.t.svc, m.id, fast);

    fx.target.always = 500;
    now += 300_000;
    const down = await runCheck(fx.t.svc, m.id, fast);
    expect(down).toMatchObject({ verdict: { status: 'down', changed: true }, confirmed: true });
    const downAt = now;
    let view = await c.monitors.get.query({ id: m.id });
    expect(view).toMatchObject({ status: 'down', lastStatusCode: 500, lastReason: 'HTTP 500' });
    expect(view.statusSince).toBe(new Date(downAt).toISOString());
    let inc = (await c.monitors.incidents.query({ id: m.id })).items;
    expect(inc).toMatchObject([{ open: true, resolvedAt: null, reason: 'HTTP 500' }]);

    // Already down: no confirmation needed, one probe, no second incident.
    now += 300_000;
    const hits = fx.target.hits;
    await runCheck(fx.t.svc, m.id, fast);
    expect(fx.target.hits - hits).toBe(1);
    expect(await incidentsOf(m.id)).toHaveLength(1);

    fx.target.always = 200;
    now += 300_000;
    const up = await runCheck(fx.t.svc, m.id, fast);
    expect(up).toMatchObject({ verdict: { status: 'up', changed: true } });
    inc = (await c.monitors.incidents.query({ id: m.id })).items;
    expect(inc).toEqual([
      {
        id: expect.stringMatching(/^inc_/),
        startedAt: new Date(downAt).toISOString(),
        resolvedAt: new Date(now).toISOString(),
        durationSeconds: 600,
        reason: 'HTTP 500',
        open: false,
        closedBy: 'recovered',
      },
    ]);
    view = await c.monitors.get.query({ id: m.id });
    expect(view.status).toBe('up');
    // SLA-true: 300 s up, then 600 s down (the incident) → 1 − 600/900; the share of checks would say 50 %.
    expect(view.uptime24h).toBe(33.333);
  });

  it('opens one incident, not two, when invocations of the same check overlap (at-least-once delivery)', async () => {
    const { m } = await newMonitor();
    fx.target.always = 500;
    try {
      // EventBridge delivers at least once and Lambda retries: the same check can run twice at once.
      await Promise.all([runCheck(fx.t.svc, m.id, fast), runCheck(fx.t.svc, m.id, fast), runCheck(fx.t.svc, m.id, fast)]);
    } finally {
      fx.target.always = 200;
    }
    const open = await fx.t.svc.db.select().from(incidents).where(eq(incidents.monitorId, m.id));
    expect(open).toHaveLength(1);
    expect(open[0]!.resolvedAt).toBeNull();
  });

  it('skips a paused monitor without probing', async () => {
    const { m } = await newMonitor({ paused: true });
    const hits = fx.target.hits;
    expect(await runCheck(fx.t.svc, m.id, fast)).toEqual({ kind: 'skipped', reason: 'paused' });
    expect(fx.target.hits).toBe(hits);
    expect(await fx.t.svc.db.select().from(checks).where(eq(checks.monitorId, m.id))).toEqual([]);
  });
});

// The uptime arithmetic (SLA-true) is proven in test/monitors/uptime.test.ts.

describe('retention', () => {
  it('prunes raw checks older than each plan keeps, and hourly rollups past 92 days', async () => {
    const day = 86_400_000;
    const free = await newMonitor();
    const solo = await newMonitor();
    await setPlanByEmail(fx.t.svc, solo.c.email, 'solo');
    for (const { m } of [free, solo]) {
      const row = (await state(m.id))!;
      for (const age of [10, 45, 120]) {
        await recordCheck(fx.t.svc, row, { ok: true, statusCode: 200, responseTimeMs: 10, reason: null, certExpiresAt: null }, now - age * day);
      }
    }
    await prune(fx.t.svc);
    const ages = async (id: string) =>
      (await fx.t.svc.db.select().from(checks).where(eq(checks.monitorId, id))).map((c) => Math.round((now - c.checkedAt.getTime()) / day)).sort((a, b) => a - b);
    expect(await ages(free.m.id)).toEqual([10]); // Free keeps 30 days
    expect(await ages(solo.m.id)).toEqual([10, 45]); // Solo keeps 90 days
    // The hours of the 10- and 45-day-old checks are still read (the 90-day bars); the 120-day-old one is not.
    const kept = await fx.t.svc.db.select().from(rollups).where(and(eq(rollups.monitorId, free.m.id), eq(rollups.grain, 'hour')));
    expect(kept.map((r) => Math.round((now - r.bucketStart) / day)).sort((a, b) => a - b)).toEqual([10, 45]);
  });
});

describe('self-healing and the first check', () => {
  it('a check for a deleted monitor deletes its own schedule and returns quietly', async () => {
    const aws = fakeEventBridge();
    const e = await startTestApp({ scheduler: aws.scheduler });
    try {
      const c = await e.signUp();
      const m = await c.monitors.create.mutate({ name: 'x', url: fx.target.url });
      await e.svc.db.delete(monitors).where(eq(monitors.id, m.id)); // gone behind the scheduler's back
      expect(await runCheck(e.svc, m.id, fast)).toEqual({ kind: 'gone' });
      expect(aws.schedulerMock.commandCalls(DeleteScheduleCommand).map((x) => x.args[0].input.Name)).toEqual([m.id]);
      expect(aws.store.has(m.id)).toBe(false);
    } finally {
      await e.close();
      aws.restore();
    }
  });

  it('runs a real first check right after monitors.create with the local scheduler', async () => {
    const local = await startTestApp();
    const scheduler = local.scheduler as LocalScheduler;
    scheduler.attach(async (id) => void (await runCheck(local.svc, id, fast)));
    try {
      fx.target.always = 200;
      const c = await local.signUp();
      const m = await c.monitors.create.mutate({ name: 'first', url: fx.target.url });
      expect(m.status).toBe('pending');
      let status = m.status;
      for (let i = 0; i < 100 && status === 'pending'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = (await c.monitors.get.query({ id: m.id })).status;
      }
      expect(status).toBe('up');
      await scheduler.idle();
    } finally {
      await local.close();
    }
  });
});
