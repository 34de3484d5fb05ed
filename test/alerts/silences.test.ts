import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { recordCheck } from '../../src/checker/record.js';
import { runCheck } from '../../src/checker/run.js';
import { alertDeliveries, alertEvents, monitors } from '../../src/db/schema.js';
import { rememberSecret } from '../support/ledger.js';
import { alertWorld } from './support.js';

/**
 * Alerts follow incidents, written in the check's own batch
 * (src/checker/record.ts, docs/ALERTS.md). Degraded is up; maintenance is silent; a late heartbeat
 * and a window ending on a failing target alert through the same outbox; a pause sends no monitor.up.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
let now = Date.UTC(2026, 6, 6, 10, 0);
const w = alertWorld(() => now);

const fast = { confirmDelayMs: 0 };
let seq = 0;

/** An account with an active webhook contact (besides its own address), which every monitor created afterwards alerts. */
async function account() {
  const { c, hook } = await w.webhookAccount(`/depth-${++seq}`);
  return { c, hookId: hook.id };
}

/** An http monitor of the target, with no timer racing the test's checks. */
const httpMonitor = (c: Awaited<ReturnType<typeof account>>['c']) => w.liveMonitor(c, { name: `site ${seq}`, url: w.target.url });

const eventsOf = async (monitorId: string) =>
  (await w.t.svc.db.select().from(alertEvents).where(eq(alertEvents.monitorId, monitorId)).orderBy(alertEvents.createdAt)).map((e) => ({
    type: e.type,
    incidentId: e.incidentId,
  }));
const deliveriesOf = (monitorId: string, eventType: 'monitor.down' | 'monitor.up') =>
  w.t.svc.db
    .select({ contactId: alertDeliveries.contactId })
    .from(alertDeliveries)
    .innerJoin(alertEvents, eq(alertEvents.id, alertDeliveries.eventId))
    .where(and(eq(alertDeliveries.monitorId, monitorId), eq(alertEvents.type, eventType)));
const row = async (id: string) => (await w.t.svc.db.query.monitors.findFirst({ where: eq(monitors.id, id) }))!;

describe('which checks alert', () => {
  it('maintenance: failing inside a window sends nothing; an incident from before the window that recovers inside it sends its monitor.up; a window ending on a failing target alerts then', async () => {
    const { c, hookId } = await account();
    const m = await httpMonitor(c);
    w.target.always = 200;
    await runCheck(w.t.svc, m.id, fast); // up
    now += HOUR;
    w.target.always = 500;
    await runCheck(w.t.svc, m.id, fast); // down: incident 1 and its monitor.down
    const [first] = await eventsOf(m.id);
    expect(first).toMatchObject({ type: 'monitor.down' });
    expect(await deliveriesOf(m.id, 'monitor.down')).toContainEqual({ contactId: hookId });

    const windowStart = now + 30 * MIN;
    const windowEnd = windowStart + 2 * HOUR;
    await c.maintenance.create.mutate({ monitorIds: [m.id], startsAt: new Date(windowStart).toISOString(), endsAt: new Date(windowEnd).toISOString() });
    now = windowStart;
    expect(await runCheck(w.t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'maintenance' } });
    // The target answers inside the window: the incident closes, and whoever was told it was down
    // is told it is back.
    w.target.always = 200;
    now += 30 * MIN;
    await runCheck(w.t.svc, m.id, fast);
    expect((await c.monitors.incidents.query({ id: m.id })).items).toMatchObject([{ open: false, closedBy: 'recovered' }]);
    const [, recovery] = await eventsOf(m.id);
    expect(recovery).toMatchObject({ type: 'monitor.up', incidentId: first!.incidentId });
    expect(await deliveriesOf(m.id, 'monitor.up')).toContainEqual({ contactId: hookId });
    // Failing again inside the window: no incident, no alert.
    w.target.always = 500;
    now += 30 * MIN;
    expect(await runCheck(w.t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'maintenance' } });
    expect(await eventsOf(m.id)).toEqual([first, recovery]);

    // The window ends on a failing target: the incident opens then, and so does its monitor.down.
    now = windowEnd + 5 * MIN;
    expect(await runCheck(w.t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'down', changed: true } });
    const [opened] = (await c.monitors.incidents.query({ id: m.id })).items;
    const events = await eventsOf(m.id);
    expect(events).toEqual([first, recovery, { type: 'monitor.down', incidentId: opened!.id }]);
    const perEvent = (await deliveriesOf(m.id, 'monitor.down')).length / 2;
    expect(perEvent).toBeGreaterThanOrEqual(1); // the webhook (and the owner's own address), for each incident
  });

  it('a window from the start: a monitor failing only inside it never alerts', async () => {
    const { c } = await account();
    await c.maintenance.create.mutate({ monitorIds: 'all', startsAt: new Date(now - MIN).toISOString(), endsAt: new Date(now + HOUR).toISOString() });
    const m = await httpMonitor(c);
    w.target.always = 503;
    for (let i = 0; i < 3; i++) {
      expect(await runCheck(w.t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'maintenance' } });
      now += 5 * MIN;
    }
    expect(await eventsOf(m.id)).toEqual([]);
    expect((await c.monitors.incidents.query({ id: m.id })).items).toEqual([]);
  });

  it('an alert when a heartbeat goes late (monitor.down to every contact), and monitor.up when it pings again', async () => {
    const { c, hookId } = await account();
    const m = await c.monitors.create.mutate({ kind: 'heartbeat', name: 'nightly', intervalSeconds: 3600, graceSeconds: 600 });
    rememberSecret(m.pingUrl!.split('/').pop());
    const ping = () => fetch(m.pingUrl!.replace('http://vigil.test', w.t.baseUrl));
    expect((await ping()).status).toBe(200);
    expect(await runCheck(w.t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'up' } });
    expect(await eventsOf(m.id)).toEqual([]);

    now += 3600_000 + 600_000 + 1000; // no ping within interval + grace
    expect(await runCheck(w.t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'down', changed: true } });
    const [incident] = (await c.monitors.incidents.query({ id: m.id })).items;
    expect(await eventsOf(m.id)).toEqual([{ type: 'monitor.down', incidentId: incident!.id }]);
    expect(await deliveriesOf(m.id, 'monitor.down')).toContainEqual({ contactId: hookId });

    // The ping itself brings it back (and sends monitor.up); the next scheduled look changes nothing.
    expect((await ping()).status).toBe(200);
    expect((await eventsOf(m.id)).map((e) => e.type)).toEqual(['monitor.down', 'monitor.up']);
    expect(await runCheck(w.t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'up', changed: false } });
  });

  it('no alert for degraded: up → degraded → up sends nothing; down → degraded is a recovery (monitor.up)', async () => {
    const { c } = await account();
    const m = await httpMonitor(c);
    const result = (ok: boolean, degraded = false) => ({ ok, statusCode: ok ? 200 : 500, responseTimeMs: ok ? 900 : 0, reason: ok ? null : 'HTTP 500', certExpiresAt: null, ...(degraded ? { degraded } : {}) });
    const record = async (ok: boolean, degraded = false) => {
      now += MIN;
      return recordCheck(w.t.svc, await row(m.id), result(ok, degraded), now);
    };
    expect(await record(true)).toEqual({ status: 'up', changed: true });
    expect(await record(true, true)).toEqual({ status: 'degraded', changed: true });
    expect(await record(true)).toEqual({ status: 'up', changed: true });
    expect(await record(true, true)).toEqual({ status: 'degraded', changed: true });
    expect(await eventsOf(m.id)).toEqual([]);
    expect((await c.monitors.incidents.query({ id: m.id })).items).toEqual([]);

    await record(false);
    expect(await record(true, true)).toEqual({ status: 'degraded', changed: true });
    expect((await eventsOf(m.id)).map((e) => e.type)).toEqual(['monitor.down', 'monitor.up']);
    expect((await c.monitors.incidents.query({ id: m.id })).items).toMatchObject([{ open: false, closedBy: 'recovered' }]);
  });

  it('pausing closes the incident as "paused" and sends no monitor.up', async () => {
    const { c } = await account();
    const m = await httpMonitor(c);
    w.target.always = 500;
    await runCheck(w.t.svc, m.id, fast);
    expect((await eventsOf(m.id)).map((e) => e.type)).toEqual(['monitor.down']);
    await c.monitors.update.mutate({ id: m.id, paused: true });
    expect((await c.monitors.incidents.query({ id: m.id })).items).toMatchObject([{ open: false, closedBy: 'paused' }]);
    expect((await eventsOf(m.id)).map((e) => e.type)).toEqual(['monitor.down']);
    expect(await deliveriesOf(m.id, 'monitor.up')).toEqual([]);
  });
});
