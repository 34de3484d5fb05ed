import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { dispatchDue } from '../../src/alerts/dispatcher.js';
import { LocalAlertQueue } from '../../src/alerts/queue.js';
import { sweepDeliveries } from '../../src/alerts/sweep.js';
import { buildServices } from '../../src/bootstrap.js';
import { runCheck } from '../../src/checker/run.js';
import { alertEvents } from '../../src/db/schema.js';
import { createLogger } from '../../src/log.js';
import type { Services } from '../../src/services.js';
import { alertWorld, mailOf } from './support.js';

/**
 * A monitor's alert delay (alertAfterSeconds) and reminders (remindEverySeconds), decided from the
 * injected clock and the outbox alone (src/alerts/outbox.ts, src/alerts/reminders.ts): nothing
 * waits in memory, so a new process over the same database carries on where the last one stopped.
 */
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
// Relative to the machine's date, so faketime moves every decision with it.
let now = Math.floor(Date.now() / HOUR) * HOUR;
const w = alertWorld(() => now);

const fast = { confirmDelayMs: 0 };
let seq = 0;

type Timing = { alertAfterSeconds?: number; remindEverySeconds?: number | null };

/** An account whose only contact is a webhook at a path of its own, and an up http monitor alerting it. */
async function monitorWith(timing: Timing) {
  const path = `/timing-${++seq}`;
  const { c, hook } = await w.webhookAccount(path);
  w.target.always = 200;
  const m = await w.liveMonitor(c, { name: `Timed ${seq}`, url: w.target.url, alertContactIds: [hook.id], ...timing });
  await runCheck(w.t.svc, m.id, fast);
  const hits = () => w.receiver.at(path).map((h) => ({ type: h.json.type, reminder: h.json.data?.reminder }));
  return { c, m, hits };
}

/** What the in-process dispatcher's poll does (reminders, then due deliveries), at the test's clock. */
async function poll(svc: Services = w.t.svc) {
  (svc.alerts as LocalAlertQueue).wake();
  await (svc.alerts as LocalAlertQueue).idle();
}

const downEvents = (monitorId: string) =>
  w.t.svc.db
    .select({ seq: alertEvents.seq, createdAt: alertEvents.createdAt })
    .from(alertEvents)
    .where(and(eq(alertEvents.monitorId, monitorId), eq(alertEvents.type, 'monitor.down')))
    .orderBy(alertEvents.seq);

describe('alert delay', () => {
  it('a recovery inside the delay sends nothing, neither down nor up; the held alert shows as skipped', async () => {
    const a = await monitorWith({ alertAfterSeconds: 300 });
    w.target.always = 500;
    await runCheck(w.t.svc, a.m.id, fast); // down: the incident opens, its monitor.down held for 5 minutes
    const started = now;
    now += 4 * MIN;
    await poll();
    expect(a.hits()).toEqual([]);
    w.target.always = 200;
    await runCheck(w.t.svc, a.m.id, fast); // up after 4 minutes: inside the delay
    now += HOUR;
    await poll();
    await dispatchDue(w.t.svc);
    expect(a.hits()).toEqual([]);
    const { items } = await a.c.alerts.deliveries.query({ monitorId: a.m.id, limit: 10 });
    expect(items).toEqual([
      expect.objectContaining({ type: 'monitor.down', status: 'skipped', attempts: 0, history: [], lastError: expect.stringContaining('alert delay') }),
    ]);
    // The incident itself is recorded as it happened: the delay silences alerts, not history.
    expect((await a.c.monitors.incidents.query({ id: a.m.id })).items).toMatchObject([
      { open: false, startedAt: new Date(started).toISOString(), durationSeconds: 240 },
    ]);
  });

  it('an incident that outlasts the delay sends monitor.down when the delay runs out, then monitor.up', async () => {
    const a = await monitorWith({ alertAfterSeconds: 300 });
    w.target.always = 500;
    await runCheck(w.t.svc, a.m.id, fast);
    const started = now;
    now = started + 299 * SEC;
    await poll();
    expect(a.hits()).toEqual([]);
    now = started + 300 * SEC;
    await poll();
    await w.receiver.waitFor(() => a.hits().length === 1);
    const down = w.receiver.at(`/timing-${seq}`)[0]!.json;
    // Its timestamp is when it fell due; startedAt is when the incident began.
    expect(down).toMatchObject({ type: 'monitor.down', timestamp: new Date(started + 300 * SEC).toISOString(), data: { startedAt: new Date(started).toISOString() } });
    now += 2 * MIN;
    w.target.always = 200;
    await runCheck(w.t.svc, a.m.id, fast);
    await w.receiver.waitFor(() => a.hits().length === 2);
    expect(a.hits().map((h) => h.type)).toEqual(['monitor.down', 'monitor.up']);
    expect(w.receiver.at(`/timing-${seq}`)[1]!.json.data).toMatchObject({ durationSeconds: 420 });
  });

  it('on AWS the one-minute sweep wakes the held delivery once it is due (the wake-up at the incident found nothing due)', async () => {
    const a = await monitorWith({ alertAfterSeconds: 120 });
    w.target.always = 500;
    await runCheck(w.t.svc, a.m.id, fast);
    expect(await sweepDeliveries(w.t.svc)).toBe(0);
    now += 2 * MIN;
    expect(await sweepDeliveries(w.t.svc)).toBe(1);
    await w.receiver.waitFor(() => a.hits().length === 1);
  });

  it('a pause inside the delay sends nothing either', async () => {
    const a = await monitorWith({ alertAfterSeconds: 600 });
    w.target.always = 500;
    await runCheck(w.t.svc, a.m.id, fast);
    now += MIN;
    await a.c.monitors.update.mutate({ id: a.m.id, paused: true });
    now += HOUR;
    await poll();
    expect(a.hits()).toEqual([]);
    expect((await a.c.alerts.deliveries.query({ monitorId: a.m.id, limit: 10 })).items.map((d) => d.status)).toEqual(['skipped']);
  });
});

describe('reminders', () => {
  it('repeat monitor.down while the incident stays open, across a restart with the clock moved, and stop on recovery', async () => {
    const a = await monitorWith({ remindEverySeconds: 600 });
    w.target.always = 500;
    await runCheck(w.t.svc, a.m.id, fast);
    await w.receiver.waitFor(() => a.hits().length === 1);
    now += 9 * MIN;
    await poll();
    expect(a.hits()).toHaveLength(1);

    // The process goes away; a new one over the same database starts 25 minutes after the incident.
    w.t.svc.alerts.stop();
    let later = now + 16 * MIN;
    const svc = await buildServices(w.t.svc.config, { log: createLogger(() => undefined), scheduler: w.t.scheduler, now: () => later });
    try {
      await poll(svc);
      await w.receiver.waitFor(() => a.hits().length === 2);
      // One reminder for the time it was away, not one per period missed.
      expect(a.hits()).toEqual([{ type: 'monitor.down', reminder: undefined }, { type: 'monitor.down', reminder: 1 }]);
      later += 9 * MIN;
      await poll(svc);
      expect(a.hits()).toHaveLength(2);
      later += MIN; // a full period after the last reminder
      await poll(svc);
      await w.receiver.waitFor(() => a.hits().length === 3);
      expect(a.hits()[2]).toEqual({ type: 'monitor.down', reminder: 2 });
      expect((await downEvents(a.m.id)).map((e) => e.seq)).toEqual([0, 1, 2]);

      // Two sweeps at once write the next reminder once.
      later += 10 * MIN;
      await Promise.all([sweepDeliveries(svc), sweepDeliveries(svc), poll(svc)]);
      await w.receiver.waitFor(() => a.hits().length === 4);
      expect((await downEvents(a.m.id)).map((e) => e.seq)).toEqual([0, 1, 2, 3]);

      // Recovery: monitor.up, and no reminder after it, however long we wait.
      w.target.always = 200;
      await runCheck(svc, a.m.id, fast);
      await w.receiver.waitFor(() => a.hits().length === 5);
      later += 3 * HOUR;
      await poll(svc);
      await sweepDeliveries(svc);
      await dispatchDue(svc);
      expect(a.hits().map((h) => h.type)).toEqual(['monitor.down', 'monitor.down', 'monitor.down', 'monitor.down', 'monitor.up']);
    } finally {
      svc.alerts.stop();
      await (svc.alerts as LocalAlertQueue).idle();
      svc.db.$client.close();
    }
  });

  it('email subjects say STILL DOWN for a reminder', async () => {
    const event = {
      id: 'evt_x',
      type: 'monitor.down' as const,
      createdAt: new Date(now),
      data: { monitor: { id: 'mon_x', name: 'Shop', url: 'https://shop.example' }, reason: 'HTTP 500', startedAt: now, reminder: 2 },
    };
    expect(mailOf(event, 'http://app.test', 'a@example.com').subject).toBe('[Vigil] STILL DOWN: Shop — HTTP 500');
  });

  it('refuses periods out of bounds, naming the field; an edit sets and clears them', async () => {
    const c = await w.t.signUp();
    await expect(c.monitors.create.mutate({ name: 'x', url: 'https://example.com', remindEverySeconds: 60 })).rejects.toThrow(/remindEverySeconds.*at least 300/s);
    await expect(c.monitors.create.mutate({ name: 'x', url: 'https://example.com', alertAfterSeconds: -1 })).rejects.toThrow(/alertAfterSeconds/);
    await expect(c.monitors.create.mutate({ name: 'x', url: 'https://example.com', alertAfterSeconds: 86_401 })).rejects.toThrow(/alertAfterSeconds.*one day/s);
    const m = await c.monitors.create.mutate({ name: 'x', url: 'https://example.com', paused: true });
    expect(m).toMatchObject({ alertAfterSeconds: 0, remindEverySeconds: null });
    const edited = await c.monitors.update.mutate({ id: m.id, alertAfterSeconds: 180, remindEverySeconds: 3600 });
    expect(edited).toMatchObject({ alertAfterSeconds: 180, remindEverySeconds: 3600 });
    expect(await c.monitors.update.mutate({ id: m.id, remindEverySeconds: null })).toMatchObject({ alertAfterSeconds: 180, remindEverySeconds: null });
  });
});
