import { sql } from 'drizzle-orm';
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checker/run.js';
import { activeOccurrence, zonedTimeToUtc } from '../../src/maintenance/schedule.js';
import { MAX_WINDOWS_PER_ACCOUNT } from '../../src/maintenance/service.js';
import { accessToken, api, partnerOf } from '../public/support.js';
import { appAndTarget } from '../support/app-and-target.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('window times (Intl, no date library)', () => {
  it('turns a wall-clock time in an IANA zone into an instant, across DST', () => {
    expect(zonedTimeToUtc(2026, 0, 15, 2, 0, 'Europe/Paris')).toBe(Date.UTC(2026, 0, 15, 1, 0)); // CET, UTC+1
    expect(zonedTimeToUtc(2026, 6, 15, 2, 0, 'Europe/Paris')).toBe(Date.UTC(2026, 6, 15, 0, 0)); // CEST, UTC+2
    expect(zonedTimeToUtc(2026, 6, 15, 22, 30, 'America/New_York')).toBe(Date.UTC(2026, 6, 16, 2, 30)); // EDT, UTC−4
  });

  it('finds the weekly occurrence in force, including one that crosses midnight', () => {
    // Sundays 23:00–01:00 Paris time; 2026-07-05 is a Sunday.
    const w = { kind: 'weekly' as const, weekday: 0, startTime: '23:00', durationMinutes: 120, timeZone: 'Europe/Paris' };
    const start = Date.UTC(2026, 6, 5, 21, 0);
    expect(activeOccurrence(w, start - 1)).toBeNull();
    expect(activeOccurrence(w, start)).toEqual({ start, end: start + 2 * HOUR });
    expect(activeOccurrence(w, start + 90 * MIN)).not.toBeNull(); // Monday 00:30 local
    expect(activeOccurrence(w, start + 2 * HOUR)).toBeNull();
    expect(activeOccurrence(w, start + 7 * 24 * HOUR + MIN)).not.toBeNull(); // next week
  });
});

describe('maintenance windows', () => {
  let now = Date.UTC(2026, 6, 6, 10, 0);
  const fx = appAndTarget({ now: () => now });
  const fast = { confirmDelayMs: 0 };

  it('create, list, update and delete, scoped to the account; listed in the public API', async () => {
    const p = await partnerOf(fx.t);
    const m = await p.user.monitors.create.mutate({ name: 'x', url: fx.target.url });
    const once = await p.user.maintenance.create.mutate({
      name: 'DB upgrade',
      monitorIds: [m.id],
      startsAt: new Date(now + HOUR).toISOString(),
      endsAt: new Date(now + 2 * HOUR).toISOString(),
    });
    expect(once).toMatchObject({ kind: 'once', monitorIds: [m.id], activeNow: false });
    const weekly = await p.user.maintenance.create.mutate({ monitorIds: 'all', weekday: 1, startTime: '09:30', durationMinutes: 60, timeZone: 'Europe/Paris' });
    // 2026-07-06 is a Monday; 10:00 UTC is 12:00 in Paris: outside 09:30–10:30.
    expect(weekly).toMatchObject({ kind: 'weekly', monitorIds: 'all', activeNow: false, name: 'Maintenance' });
    const updated = await p.user.maintenance.update.mutate({ id: weekly.id, window: { monitorIds: 'all', weekday: 1, startTime: '11:30', durationMinutes: 60, timeZone: 'Europe/Paris' } });
    expect(updated.activeNow).toBe(true);
    // Same clock instant: the order is then by id.
    const both = [once.id, weekly.id].sort();
    expect((await p.user.maintenance.list.query()).items.map((w) => w.id)).toEqual(both);

    const token = await accessToken(fx.t, p);
    const pub = (await (await api(fx.t, `/maintenance?monitorId=${m.id}`, token)).json()) as { data: { id: string }[] };
    expect(pub.data.map((w) => w.id)).toEqual(both);

    const other = await fx.t.signUp();
    expect((await other.maintenance.list.query()).items).toEqual([]);
    const bad = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return e instanceof TRPCClientError ? (e.data?.httpStatus as number) : 0;
      }
      return 200;
    };
    expect(await bad(other.maintenance.delete.mutate({ id: once.id }))).toBe(404);
    expect(await bad(other.maintenance.create.mutate({ monitorIds: [m.id], weekday: 1, startTime: '01:00', durationMinutes: 5, timeZone: 'UTC' }))).toBe(400);
    expect(await bad(p.user.maintenance.create.mutate({ monitorIds: 'all', weekday: 1, startTime: '01:00', durationMinutes: 5, timeZone: 'Mars/Olympus' }))).toBe(400);
    expect(await bad(p.user.maintenance.create.mutate({ monitorIds: 'all', startsAt: new Date(now).toISOString(), endsAt: new Date(now - 1).toISOString() }))).toBe(400);
    await p.user.maintenance.delete.mutate({ id: once.id });
    await p.user.maintenance.delete.mutate({ id: weekly.id });
    expect((await p.user.maintenance.list.query()).items).toEqual([]);
  });

  it('starting during an incident: checks run and are recorded as maintenance, the time is excluded; ending on a failing target opens the incident then, not backdated', async () => {
    const c = await fx.t.signUp();
    fx.target.always = 200;
    const m = await c.monitors.create.mutate({ name: 'site', url: fx.target.url });
    await runCheck(fx.t.svc, m.id, fast); // up at 10:00
    now += HOUR;
    fx.target.always = 500;
    await runCheck(fx.t.svc, m.id, fast); // down at 11:00: incident 1 opens
    expect((await c.monitors.incidents.query({ id: m.id })).items).toMatchObject([{ open: true }]);

    // A window 11:30–13:30 starts during the incident.
    const windowStart = now + 30 * MIN;
    const windowEnd = windowStart + 2 * HOUR;
    await c.maintenance.create.mutate({ monitorIds: [m.id], startsAt: new Date(windowStart).toISOString(), endsAt: new Date(windowEnd).toISOString() });
    now = windowStart;
    const hits = fx.target.hits;
    expect(await runCheck(fx.t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'maintenance' }, confirmed: false });
    expect(fx.target.hits - hits).toBe(1); // the check still ran
    expect((await c.monitors.get.query({ id: m.id })).status).toBe('maintenance');
    // The target recovers during the window: the incident closes, nothing new opens.
    fx.target.always = 200;
    now += 30 * MIN;
    expect(await runCheck(fx.t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'maintenance' } });
    expect((await c.monitors.incidents.query({ id: m.id })).items).toMatchObject([{ open: false, closedBy: 'recovered' }]);
    fx.target.always = 500;
    now += 30 * MIN;
    await runCheck(fx.t.svc, m.id, fast); // failing again inside the window: no incident
    expect((await c.monitors.incidents.query({ id: m.id })).items).toMatchObject([{ open: false }]);
    expect((await c.monitors.checks.query({ id: m.id })).items.length).toBe(5);

    // The window ends on a failing target: the first check after it turns the monitor down.
    now = windowEnd + 5 * MIN;
    const after = await runCheck(fx.t.svc, m.id, fast);
    expect(after).toMatchObject({ verdict: { status: 'down', changed: true }, confirmed: true });
    const view = await c.monitors.get.query({ id: m.id });
    expect(view.statusSince).toBe(new Date(now).toISOString()); // not backdated to the window
    const [opened] = (await c.monitors.incidents.query({ id: m.id })).items;
    expect(opened).toMatchObject({ open: true, startedAt: new Date(now).toISOString(), durationSeconds: 0 });

    // Uptime: 10:00–11:00 up, 11:00–11:30 down, 11:30–13:30 excluded, 13:30–13:35 maintenance
    // status continues until the check at 13:35 (excluded), then down from 13:35 (0 s so far).
    // Observed: 60 min up, 30 min down → 66.667 %.
    expect(view.uptime24h).toBe(66.667);
  });

  it('a window for "all" covers monitors created later; no incident opens when a check fails inside it', async () => {
    const c = await fx.t.signUp();
    await c.maintenance.create.mutate({ monitorIds: 'all', startsAt: new Date(now - MIN).toISOString(), endsAt: new Date(now + HOUR).toISOString() });
    fx.target.always = 503;
    const m = await c.monitors.create.mutate({ name: 'late', url: fx.target.url });
    expect(await runCheck(fx.t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'maintenance' } });
    expect((await c.monitors.incidents.query({ id: m.id })).items).toEqual([]);
    expect((await c.monitors.list.query({ status: 'maintenance' })).items.map((x) => x.id)).toEqual([m.id]);
  });

  it('holds the 50-window limit under a burst of parallel creates: the count and the insert are one statement', async () => {
    const c = await fx.t.signUp();
    const window = (i: number) => ({ name: `w${i}`, monitorIds: 'all' as const, weekday: 1, startTime: '01:00', durationMinutes: 5, timeZone: 'UTC' });
    for (let i = 0; i < MAX_WINDOWS_PER_ACCOUNT - 3; i++) await c.maintenance.create.mutate(window(i));
    // Twenty at once for the last three places, one request each (no batching), as a script would
    // send them, to a database 100 ms away (as a remote one is): every read lands before any write.
    const solo = fx.t.client(c.jar, { batch: false });
    const client = fx.t.svc.db.$client;
    const execute = client.execute.bind(client);
    client.execute = (async (...args: Parameters<typeof execute>) => {
      await new Promise((r) => setTimeout(r, 100));
      return execute(...args);
    }) as typeof client.execute;
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => solo.maintenance.create.mutate(window(100 + i)))).finally(() => {
      client.execute = execute;
    });
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { data?: { httpStatus?: number } }).data?.httpStatus);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(new Set(refused)).toEqual(new Set([403]));
    const [row] = await fx.t.svc.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM maintenance_windows WHERE account_id = ${c.user.accountId}`);
    expect(row?.n).toBe(MAX_WINDOWS_PER_ACCOUNT);
  });
});
