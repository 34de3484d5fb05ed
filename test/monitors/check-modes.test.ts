import { count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { attachLocalChecks } from '../../src/checker/local-checks.js';
import { checks } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { startTarget } from '../support/target.js';

/**
 * What a person sees of the schedule, the same in both check modes (ADR 0015): the first check at
 * once, then one per interval, none while paused, a fresh one on resume, the new interval after an
 * edit, none after a delete. Real checks of a real target through each mode's own timers, on
 * fake timers and a fake Date (the services' clock is Date.now), moved by the test.
 */
const MODES = ['per-monitor', 'fan-out'] as const;
/** setTimeout as it is before the fake timers: real I/O is waited for in real time. */
const realSetTimeout = setTimeout;
const realSleep = (ms: number) => new Promise((r) => realSetTimeout(r, ms));
const INTERVAL_MS = 300_000; // the Free plan's interval, a new monitor's default

describe.each(MODES)('the schedule a monitor keeps, %s mode', (mode) => {
  let t: TestApp;
  let target: Awaited<ReturnType<typeof startTarget>>;
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    target = await startTarget();
    t = await startTestApp({ env: { CHECK_MODE: mode } });
    attachLocalChecks(t.svc, { confirmDelayMs: 0 });
  });
  afterAll(async () => {
    vi.useRealTimers();
    await t.close();
    await target.close();
  });
  afterEach(() => {
    target.always = 200;
  });

  // httpBatchLink gathers a batch on a timer, which the fake timers hold: one request per call.
  const signUp = async () => t.client((await t.signUp()).jar, { batch: false });
  const checksOf = async (id: string) => (await t.svc.db.select({ n: count() }).from(checks).where(eq(checks.monitorId, id)))[0]!.n;
  /** Moves the clock, fires what came due, and waits (in real time) for those checks to be recorded. */
  const advance = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
    await settle();
  };
  const settle = async () => {
    // Real I/O (the probe, the database) runs on real time; the fake timers do not move meanwhile.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      await vi.advanceTimersByTimeAsync(1);
      await realSleep(60);
    }
  };

  it('checks a new monitor at once, then once per interval, never twice', async () => {
    const c = await signUp();
    const m = await c.monitors.create.mutate({ name: 'site', url: target.url });
    await settle();
    expect(await checksOf(m.id)).toBe(1);
    await advance(INTERVAL_MS - 60_000);
    expect(await checksOf(m.id)).toBe(1);
    await advance(60_000);
    expect(await checksOf(m.id)).toBe(2);
    for (let i = 0; i < 3; i++) await advance(INTERVAL_MS);
    expect(await checksOf(m.id)).toBe(5);
  });

  it('checks nothing while paused, checks again at once on resume, then on the new interval after an edit', async () => {
    const c = await signUp();
    const m = await c.monitors.create.mutate({ name: 'paused', url: target.url });
    await settle();
    await c.monitors.update.mutate({ id: m.id, paused: true });
    await advance(3 * INTERVAL_MS);
    expect(await checksOf(m.id)).toBe(1);
    await c.monitors.update.mutate({ id: m.id, paused: false });
    await settle();
    expect(await checksOf(m.id)).toBe(2);
    expect((await c.monitors.get.query({ id: m.id })).status).toBe('up');
    await c.monitors.update.mutate({ id: m.id, intervalSeconds: 600 });
    await advance(INTERVAL_MS);
    expect(await checksOf(m.id)).toBe(2);
    await advance(INTERVAL_MS);
    expect(await checksOf(m.id)).toBe(3);
  });

  it('turns a failing target down after its confirmation, and up again', async () => {
    const c = await signUp();
    const m = await c.monitors.create.mutate({ name: 'flaky', url: target.url });
    await settle();
    target.always = 500;
    await advance(INTERVAL_MS);
    await settle();
    expect(await c.monitors.get.query({ id: m.id })).toMatchObject({ status: 'down', lastStatusCode: 500 });
    expect((await c.monitors.incidents.query({ id: m.id })).items).toHaveLength(1);
    target.always = 200;
    await advance(INTERVAL_MS);
    expect((await c.monitors.get.query({ id: m.id })).status).toBe('up');
    expect(await checksOf(m.id)).toBe(3);
  });

  it('stops checking a deleted monitor, and its schedule is gone', async () => {
    const own = await startTarget();
    const c = await signUp();
    const m = await c.monitors.create.mutate({ name: 'gone', url: own.url });
    await settle();
    expect(own.hits).toBe(1);
    await c.monitors.delete.mutate({ id: m.id });
    await advance(2 * INTERVAL_MS);
    await own.close();
    expect(own.hits).toBe(1);
    expect((await t.scheduler.list()).map((s) => s.monitorId)).not.toContain(m.id);
    expect(t.logs.filter((l) => l.includes(m.id) && l.includes('"error"'))).toEqual([]);
  });
});
