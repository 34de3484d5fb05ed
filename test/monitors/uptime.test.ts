import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCheck } from '../../src/checker/record.js';
import type { ProbeResult } from '../../src/probes/result.js';
import { monitors } from '../../src/db/schema.js';
import { splitIntoBuckets } from '../../src/domain/time.js';
import { uptimePercent } from '../../src/domain/uptime.js';
import { startTestApp, type TestApp } from '../support/harness.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const DAY = 24 * HOUR;

describe('uptime arithmetic (pure)', () => {
  it('splits a stretch at hour and day boundaries', () => {
    const t0 = Date.UTC(2026, 0, 1, 10, 30);
    expect(splitIntoBuckets(t0, t0 + 2 * HOUR, 'hour')).toEqual([
      { bucketStart: Date.UTC(2026, 0, 1, 10), ms: 30 * MIN },
      { bucketStart: Date.UTC(2026, 0, 1, 11), ms: HOUR },
      { bucketStart: Date.UTC(2026, 0, 1, 12), ms: 30 * MIN },
    ]);
    expect(splitIntoBuckets(Date.UTC(2026, 0, 1, 23), Date.UTC(2026, 0, 2, 1), 'day')).toEqual([
      { bucketStart: Date.UTC(2026, 0, 1), ms: HOUR },
      { bucketStart: Date.UTC(2026, 0, 2), ms: HOUR },
    ]);
    expect(splitIntoBuckets(t0, t0, 'hour')).toEqual([]);
  });

  it('is 1 − downtime / observed period, null when nothing was observed', () => {
    expect(uptimePercent(0, 0)).toBeNull();
    expect(uptimePercent(23 * HOUR, HOUR)).toBe(95.833); // 1 − 1/24
    expect(uptimePercent(DAY - 43_200, 43_200)).toBe(99.95); // 43.2 s down a day
  });
});

describe('SLA-true uptime through recordCheck and the APIs (injected clock)', () => {
  let t: TestApp;
  // 2026-03-10 00:00 UTC: the start of a UTC day, so windows are easy to count by hand.
  const t0 = Date.UTC(2026, 2, 10);
  let now = t0;
  beforeAll(async () => {
    t = await startTestApp({ now: () => now });
  });
  afterAll(() => t.close());

  const up: ProbeResult = { ok: true, statusCode: 200, responseTimeMs: 40, reason: null, certExpiresAt: null };
  const down: ProbeResult = { ok: false, statusCode: 503, responseTimeMs: 5, reason: 'HTTP 503', certExpiresAt: null };
  const row = async (id: string) => (await t.svc.db.query.monitors.findFirst({ where: eq(monitors.id, id) }))!;
  /** One check at `at` (the clock moves there first), as the checker records it. */
  const check = async (id: string, at: number, result: ProbeResult) => {
    now = at;
    await recordCheck(t.svc, await row(id), result, at);
  };

  it('counts incident time, not the share of checks: the interval does not skew it', async () => {
    const c = await t.signUp();
    now = t0;
    const m = await c.monitors.create.mutate({ name: 'sla', url: 'http://127.0.0.1:9/none', paused: true });
    await c.monitors.update.mutate({ id: m.id, paused: false }); // resumes at t0: pending from t0
    // 00:00 first check up; 06:00 down (one check); 07:30 up again; 12:00 up.
    await check(m.id, t0, up);
    await check(m.id, t0 + 6 * HOUR, down);
    await check(m.id, t0 + 7.5 * HOUR, up);
    await check(m.id, t0 + 12 * HOUR, up);
    now = t0 + 12 * HOUR;
    const view = await c.monitors.get.query({ id: m.id });
    // Observed 12 h, down 1.5 h: 1 − 1.5/12 = 87.5 % (the share of checks would say 3 of 4 = 75 %).
    expect(view.uptime24h).toBe(87.5);
    expect(view.uptime30d).toBe(87.5);
    expect(view.uptime90d).toBe(87.5);
    const listed = (await c.monitors.list.query()).items.find((x) => x.id === m.id)!;
    expect({ u24: listed.uptime24h, u30: listed.uptime30d }).toEqual({ u24: 87.5, u30: 87.5 });

    // The open stretch since the last check counts with the current status: 4 h more of up.
    now = t0 + 16 * HOUR;
    expect((await c.monitors.get.query({ id: m.id })).uptime24h).toBe(90.625); // 1 − 1.5/16
    // The list sums the same rollups in the database and adds the same open stretch.
    const later = (await c.monitors.list.query()).items.find((x) => x.id === m.id)!;
    expect({ u24: later.uptime24h, u30: later.uptime30d }).toEqual({ u24: 90.625, u30: 90.625 });
  });

  it('excludes paused time from the period, and pausing closes the incident as "paused"', async () => {
    const c = await t.signUp();
    now = t0 + DAY; // day 2, 00:00
    const m = await c.monitors.create.mutate({ name: 'pause', url: 'http://127.0.0.1:9/none', paused: true });
    await c.monitors.update.mutate({ id: m.id, paused: false });
    await check(m.id, t0 + DAY, up);
    await check(m.id, t0 + DAY + 2 * HOUR, down); // down from 02:00
    now = t0 + DAY + 3 * HOUR; // paused at 03:00 while down
    const paused = await c.monitors.update.mutate({ id: m.id, paused: true });
    expect(paused.status).toBe('paused');
    const incidents = (await c.monitors.incidents.query({ id: m.id })).items;
    expect(incidents).toMatchObject([{ open: false, closedBy: 'paused', resolvedAt: new Date(now).toISOString(), durationSeconds: 3600 }]);
    now = t0 + DAY + 10 * HOUR; // 7 h paused: excluded
    const resumed = await c.monitors.update.mutate({ id: m.id, paused: false });
    expect(resumed).toMatchObject({ status: 'pending', statusSince: new Date(now).toISOString() });
    await check(m.id, t0 + DAY + 10 * HOUR, up);
    now = t0 + DAY + 12 * HOUR;
    // Observed: 00–03 (2 h up, 1 h down) and 10–12 (2 h up) = 5 h, 1 h down → 80 %.
    const view = await c.monitors.get.query({ id: m.id });
    expect(view.uptime24h).toBe(80);
    expect(view.uptime7d).toBe(80);
    // Resuming opened no incident: the old one stays closed, none is open.
    expect((await c.monitors.incidents.query({ id: m.id })).items).toHaveLength(1);
  });

  it('is null before anything was observed, and the 24 h window drops older hours', async () => {
    const c = await t.signUp();
    now = t0 + 3 * DAY;
    const m = await c.monitors.create.mutate({ name: 'old', url: 'http://127.0.0.1:9/none', paused: true });
    await c.monitors.update.mutate({ id: m.id, paused: false });
    expect((await c.monitors.get.query({ id: m.id })).uptime24h).toBeNull();
    await check(m.id, t0 + 3 * DAY, up);
    await check(m.id, t0 + 3 * DAY + HOUR, down); // down 01:00–02:00
    await check(m.id, t0 + 3 * DAY + 2 * HOUR, up);
    await check(m.id, t0 + 4 * DAY + 12 * HOUR, up); // next day 12:00
    now = t0 + 4 * DAY + 12 * HOUR;
    const view = await c.monitors.get.query({ id: m.id });
    // 24 h window = the current hour and the 24 before it (from day 4, 11:00 back to day 3, 12:00): no downtime.
    expect(view.uptime24h).toBe(100);
    // 7 d: 36 h observed, 1 h down.
    expect(view.uptime7d).toBe(97.222);
  });
});
