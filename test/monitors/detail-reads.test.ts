import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checker/run.js';
import type { Scheduler } from '../../src/scheduler/port.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rejection } from '../support/http-status.js';
import { startTarget } from '../support/target.js';

/**
 * What a monitor's screen reads beyond the monitor itself: its response-time chart and 90-day bars
 * from the rollups, and "check now", which spends the same budget as the immediate check after an
 * edit (one per check interval), so it cannot beat the plan's interval.
 */
const HOUR = 3_600_000;
let clock = Date.UTC(2031, 4, 10, 12, 30);
const triggered: string[] = [];
const recording: Scheduler = {
  create: async () => {},
  update: async () => {},
  remove: async () => {},
  list: async () => [],
  triggerNow: async (id) => {
    triggered.push(id);
  },
};
let t: TestApp;
let target: Awaited<ReturnType<typeof startTarget>>;
beforeAll(async () => {
  t = await startTestApp({ now: () => clock, scheduler: recording });
  target = await startTarget();
});
afterAll(async () => {
  await target.close();
  await t.close();
});

describe('a monitor’s chart and bars', () => {
  it('gives one point per hour (24 h, 7 d) or day (30 d), the checks’ mean response, and 90 days of bars', async () => {
    const c = await t.signUp();
    const m = await c.monitors.create.mutate({ name: 'charted', url: target.url, intervalSeconds: 300 });
    await runCheck(t.svc, m.id);
    clock += HOUR;
    target.always = 503;
    await runCheck(t.svc, m.id);
    await runCheck(t.svc, m.id);

    const day = await c.monitors.responseTimes.query({ id: m.id, range: '24h' });
    expect(day.points).toHaveLength(25);
    const [before, now] = day.points.slice(-2);
    expect(before).toMatchObject({ checks: 1, failedChecks: 0 });
    expect(before!.avgResponseTimeMs).toEqual(expect.any(Number));
    expect(now).toMatchObject({ checks: 2, failedChecks: 2, avgResponseTimeMs: null });
    expect(day.points[0]).toMatchObject({ checks: 0, avgResponseTimeMs: null });
    expect((await c.monitors.responseTimes.query({ id: m.id, range: '7d' })).points).toHaveLength(168);
    const month = await c.monitors.responseTimes.query({ id: m.id, range: '30d' });
    expect(month.points).toHaveLength(30);
    expect(month.points.at(-1)).toMatchObject({ checks: 3, failedChecks: 2 });

    // Down time counts from the second failure on.
    clock += 10 * 60_000;
    const { days } = await c.monitors.uptimeDays.query({ id: m.id });
    expect(days).toHaveLength(90);
    expect(days.at(-1)!.date).toBe('2031-05-10');
    expect(days.at(-1)!.uptime).toBeLessThan(100);
    expect(days[0]).toMatchObject({ uptime: null, checks: 0 });
  });

  it('are 404 for another account’s monitor, and a range it does not know is a 400', async () => {
    const mine = await t.signUp();
    const theirs = await (await t.signUp()).monitors.create.mutate({ name: 'theirs', url: target.url, intervalSeconds: 300 });
    expect((await rejection(mine.monitors.responseTimes.query({ id: theirs.id, range: '24h' }))).status).toBe(404);
    expect((await rejection(mine.monitors.uptimeDays.query({ id: theirs.id }))).status).toBe(404);
    expect((await rejection(mine.monitors.responseTimes.query({ id: theirs.id, range: '1y' as never }))).status).toBe(400);
  });
});

describe('check now', () => {
  it('runs once per check interval; the next is a 429 with how long to wait, and the wait ends', async () => {
    const c = await t.signUp();
    const m = await c.monitors.create.mutate({ name: 'on demand', url: target.url, intervalSeconds: 300 });
    // Creating it spent the first immediate check; the interval after it, one more is allowed.
    const refused = await rejection(c.monitors.checkNow.mutate({ id: m.id }));
    expect(refused.status).toBe(429);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(300);
    clock += (refused.retryAfterSeconds ?? 0) * 1000;
    triggered.length = 0;
    expect(await c.monitors.checkNow.mutate({ id: m.id })).toEqual({ id: m.id, requested: true });
    expect(triggered).toEqual([m.id]);
    expect((await rejection(c.monitors.checkNow.mutate({ id: m.id }))).status).toBe(429);
  });

  it('is 404 for another account’s monitor and 409 for a paused one or a heartbeat; nothing is run', async () => {
    const mine = await t.signUp();
    const theirs = await (await t.signUp()).monitors.create.mutate({ name: 'theirs', url: target.url, intervalSeconds: 300 });
    const paused = await mine.monitors.create.mutate({ name: 'paused', url: target.url, intervalSeconds: 300, paused: true });
    const beat = await mine.monitors.create.mutate({ kind: 'heartbeat', name: 'nightly', intervalSeconds: 3600 });
    triggered.length = 0;
    expect((await rejection(mine.monitors.checkNow.mutate({ id: theirs.id }))).status).toBe(404);
    expect((await rejection(mine.monitors.checkNow.mutate({ id: paused.id }))).status).toBe(409);
    expect((await rejection(mine.monitors.checkNow.mutate({ id: beat.id }))).status).toBe(409);
    expect(triggered).toEqual([]);
  });
});
