import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordPing } from '../../src/checker/ping-transition.js';
import { recordCheck } from '../../src/checker/record.js';
import { readForCheck, runCheck } from '../../src/checker/run.js';
import { checkMonitor } from '../../src/monitors/kinds/index.js';
import { selectMonitors } from '../../src/monitors/reads.js';
import { alertEvents, checks, incidents, monitors, rollups } from '../../src/db/schema.js';
import { startReceiver, verifyHit } from '../alerts/support.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';

/**
 * A ping decides a heartbeat's state in its own round trip (Healthchecks.io's semantics): up at
 * once from pending or down, down at once on /fail, each with its incident, check row, rollup time
 * and outbox events in one batch; a scheduled evaluation recording from the same state cannot
 * double it. Every time here is the injected clock; nothing sleeps for an interval.
 */
const MIN = 60_000;
let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let now = Date.UTC(2026, 6, 1, 8, 0);
beforeAll(async () => {
  receiver = await startReceiver();
  t = await startTestApp({ now: () => now });
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});

let seq = 0;
/** A heartbeat (hourly, 10 minutes' grace) alerting a real webhook receiver; its scheduler timer removed so only the test checks it. */
async function heartbeat() {
  const c = await t.signUp();
  const path = `/hb-${++seq}`;
  const hook = await c.contacts.create.mutate({ kind: 'webhook', name: 'ops', target: receiver.url(path) });
  rememberSecret(hook.signingSecret);
  const m = await c.monitors.create.mutate({ kind: 'heartbeat', name: `nightly backup ${seq}`, intervalSeconds: 3600, graceSeconds: 600 });
  await t.scheduler.remove(m.id);
  const token = m.pingUrl!.split('/').pop()!;
  rememberSecret(token);
  const ping = (suffix = '') => fetch(`${t.baseUrl}/ping/${token}${suffix}`, { method: 'POST' });
  return { c, m, ping, hits: () => receiver.at(path), secret: hook.signingSecret! };
}

/** The monitor as the screens show it: its row and its last check. */
const stateOf = async (id: string) => (await selectMonitors(t.svc.db).where(eq(monitors.id, id)).get())!;
const checksOf = (id: string) => t.svc.db.select().from(checks).where(eq(checks.monitorId, id));
const incidentsOf = (id: string) => t.svc.db.select().from(incidents).where(eq(incidents.monitorId, id));
const eventTypes = async (id: string) =>
  (await t.svc.db.select({ type: alertEvents.type }).from(alertEvents).where(eq(alertEvents.monitorId, id)).orderBy(alertEvents.createdAt)).map((e) => e.type);
/** Time accrued into the daily rollups, by category (ms). */
async function accrued(id: string) {
  const r = await t.svc.db
    .select({ up: sql<number>`sum(up_ms)`, down: sql<number>`sum(down_ms)`, excluded: sql<number>`sum(excluded_ms)` })
    .from(rollups)
    .where(and(eq(rollups.monitorId, id), eq(rollups.grain, 'day')))
    .get();
  return { up: Number(r?.up ?? 0), down: Number(r?.down ?? 0), excluded: Number(r?.excluded ?? 0) };
}

describe('a ping changes the heartbeat at once', () => {
  it('pending → up on the first ping: status, a check row, no incident and no alert', async () => {
    const { m, ping } = await heartbeat();
    now += 5 * MIN;
    expect((await ping()).status).toBe(200);
    const s = await stateOf(m.id);
    expect(s).toMatchObject({ status: 'up', lastCheckedAt: new Date(now), statusSince: new Date(now), accruedUntil: now });
    expect(await checksOf(m.id)).toMatchObject([{ ok: true, reason: null, checkedAt: new Date(now) }]);
    expect(await incidentsOf(m.id)).toEqual([]);
    expect(await eventTypes(m.id)).toEqual([]);
  });

  it('/fail → down at once with its incident and monitor.down (webhook: the name, and url null as the API shows it); a ping → up with monitor.up', async () => {
    const { m, ping, hits, secret } = await heartbeat();
    await ping();
    now += 20 * MIN;
    const failedAt = now;
    expect((await ping('/fail')).status).toBe(200);
    expect(await stateOf(m.id)).toMatchObject({ status: 'down', statusSince: new Date(failedAt), lastReason: 'ping reported failure' });
    expect(await incidentsOf(m.id)).toMatchObject([{ startedAt: new Date(failedAt), resolvedAt: null, reason: 'ping reported failure' }]);
    expect(await eventTypes(m.id)).toEqual(['monitor.down']);
    await receiver.waitFor(() => hits().length === 1);
    const down = verifyHit(secret, hits()[0]!) as { type: string; data: { monitor: Record<string, unknown>; reason: string } };
    expect(down).toMatchObject({ type: 'monitor.down', data: { monitor: { id: m.id, name: m.name, kind: 'heartbeat', url: null }, reason: 'ping reported failure' } });

    now += 7 * MIN;
    expect((await ping()).status).toBe(200);
    expect(await stateOf(m.id)).toMatchObject({ status: 'up', statusSince: new Date(now) });
    expect(await incidentsOf(m.id)).toMatchObject([{ resolvedAt: new Date(now), closedBy: 'recovered' }]);
    expect(await eventTypes(m.id)).toEqual(['monitor.down', 'monitor.up']);
    await receiver.waitFor(() => hits().length === 2);
    expect(verifyHit(secret, hits()[1]!)).toMatchObject({ type: 'monitor.up', data: { durationSeconds: 420, monitor: { url: null } } });
    // The 7 minutes down are downtime in the rollups, exactly once.
    expect((await accrued(m.id)).down).toBe(7 * MIN);
  });

  it('a ping to an up heartbeat only stamps it (no check row), and a second /fail opens nothing more', async () => {
    const { m, ping } = await heartbeat();
    await ping();
    now += MIN;
    await ping();
    expect(await checksOf(m.id)).toHaveLength(1);
    expect((await stateOf(m.id)).lastPingAt).toBe(now);
    await ping('/fail');
    now += MIN;
    await ping('/fail');
    expect(await checksOf(m.id)).toHaveLength(2);
    expect(await incidentsOf(m.id)).toHaveLength(1);
    expect(await eventTypes(m.id)).toEqual(['monitor.down']);
  });

  it('lateness is still decided on schedule, and a ping then brings it back at once', async () => {
    const { m, ping } = await heartbeat();
    await ping();
    now += 3600_000 + 600_000 + 1000;
    expect(await stateOf(m.id)).toMatchObject({ status: 'up' }); // no ping: nothing changes until the schedule looks
    expect(await runCheck(t.svc, m.id)).toMatchObject({ verdict: { status: 'down', changed: true }, result: { reason: 'no ping within 4200 s' } });
    now += MIN;
    await ping();
    expect(await stateOf(m.id)).toMatchObject({ status: 'up' });
    expect(await eventTypes(m.id)).toEqual(['monitor.down', 'monitor.up']);
    // The next scheduled look finds it up and changes nothing.
    expect(await runCheck(t.svc, m.id)).toMatchObject({ verdict: { status: 'up', changed: false } });
  });

  it('a paused heartbeat is stamped but not changed; inside a maintenance window /fail opens no incident', async () => {
    const { c, m, ping } = await heartbeat();
    await c.monitors.update.mutate({ id: m.id, paused: true });
    await ping('/fail');
    expect(await stateOf(m.id)).toMatchObject({ paused: true, lastPingOk: false });
    expect(await checksOf(m.id)).toEqual([]);
    await c.monitors.update.mutate({ id: m.id, paused: false });
    await t.scheduler.remove(m.id);

    await c.maintenance.create.mutate({ name: 'upgrade', monitorIds: [m.id], startsAt: new Date(now - MIN).toISOString(), endsAt: new Date(now + 60 * MIN).toISOString() });
    await ping('/fail');
    expect(await stateOf(m.id)).toMatchObject({ status: 'maintenance' });
    expect(await incidentsOf(m.id)).toEqual([]);
    expect(await eventTypes(m.id)).toEqual([]);
  });
});

describe('a ping and a scheduled evaluation at once', () => {
  it('the evaluation that read the state before the ping recorded its change writes nothing (no second check, no doubled time)', async () => {
    const { m, ping } = await heartbeat();
    await ping();
    now += 3600_000 + 600_000 + 1000; // late: the schedule would say down
    // The scheduled evaluation reads and decides (down, late)…
    const read = (await readForCheck(t.svc.db, m.id))!;
    const late = (await checkMonitor(t.svc, read, { allowPrivateTargets: true }))!;
    expect(late).toMatchObject({ ok: false, reason: 'no ping within 4200 s' });
    // …the ping arrives and records (up stays up: only a stamp), then /fail turns it down…
    await ping('/fail');
    const afterPing = await stateOf(m.id);
    expect(afterPing.status).toBe('down');
    // …and the evaluation's record, from the state it read, is refused whole.
    expect(await recordCheck(t.svc, read, late, now, now, { guarded: true })).toMatchObject({ stale: true, changed: false });
    expect(await stateOf(m.id)).toMatchObject({ status: 'down', lastReason: 'ping reported failure', accruedUntil: afterPing.accruedUntil });
    expect(await checksOf(m.id)).toHaveLength(2); // the first ping's and the /fail's
    expect(await incidentsOf(m.id)).toHaveLength(1);
    expect(await eventTypes(m.id)).toEqual(['monitor.down']);
  });

  it('a ping right after the schedule turned it down (late) decides from that new state and brings it back', async () => {
    const { m, ping } = await heartbeat();
    await ping();
    now += 3600_000 + 600_000 + 1000;
    // The schedule turns it down (late) between the ping's stamp and its transition: the transition
    // reads down and brings it up, closing the incident the schedule opened.
    expect(await runCheck(t.svc, m.id)).toMatchObject({ verdict: { status: 'down' } });
    expect(await recordPing(t.svc, m.id, false, now)).toMatchObject({ status: 'up', changed: true });
    expect(await eventTypes(m.id)).toEqual(['monitor.down', 'monitor.up']);
  });

  it('concurrent pings, /fails and evaluations: one transition each way, time accrued exactly once', async () => {
    const { m, ping } = await heartbeat();
    const created = (await stateOf(m.id)).statusSince!.getTime();
    now += MIN;
    await Promise.all([ping(), ping(), runCheck(t.svc, m.id), ping(), runCheck(t.svc, m.id)]);
    expect(await stateOf(m.id)).toMatchObject({ status: 'up' });
    now += MIN;
    await Promise.all([ping('/fail'), runCheck(t.svc, m.id), ping('/fail'), ping('/fail'), runCheck(t.svc, m.id)]);
    expect(await stateOf(m.id)).toMatchObject({ status: 'down' });
    expect(await incidentsOf(m.id)).toHaveLength(1);
    expect(await eventTypes(m.id)).toEqual(['monitor.down']);
    const s = await stateOf(m.id);
    const a = await accrued(m.id);
    // Every millisecond from creation to the last recording is counted once, in one category.
    expect(a.up + a.down + a.excluded).toBe(s.accruedUntil! - created);
  });
});
