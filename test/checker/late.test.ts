import { InvokeCommand } from '@aws-sdk/client-lambda';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checker/run.js';
import { checks } from '../../src/db/schema.js';
import { parseCheckEvent } from '../../src/scheduler/check-event.js';
import { fakeEventBridge } from '../support/fake-eventbridge.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { startTarget } from '../support/target.js';

/**
 * A run of a monitor's schedule that waited (a throttle at the checker's reserved concurrency, an
 * outage) until its next run was due is dropped and counted, never recorded as if on time. The
 * decision reads the services' clock and the time the run was scheduled for.
 */
let t: TestApp;
let aws: ReturnType<typeof fakeEventBridge>;
let target: Awaited<ReturnType<typeof startTarget>>;
const now = Date.UTC(2026, 10, 20, 12, 0, 0);
beforeAll(async () => {
  aws = fakeEventBridge();
  t = await startTestApp({ now: () => now, scheduler: aws.scheduler });
  target = await startTarget();
  target.always = 200;
});
afterAll(async () => {
  await t.close();
  aws.restore();
  await target.close();
});

const fast = { confirmDelayMs: 0 };
const checksOf = async (id: string) => (await t.svc.db.select().from(checks).where(eq(checks.monitorId, id))).length;

describe('a check that arrives after its next turn', () => {
  it('is dropped and logged when later than the interval; recorded when within it', async () => {
    const c = await t.signUp();
    const m = await c.monitors.create.mutate({ name: 'late', url: target.url }); // Free: 300 s
    const before = await checksOf(m.id);
    const hits = target.hits;

    const stale = await runCheck(t.svc, m.id, { ...fast, dueAt: now - 300_001 });
    expect(stale).toEqual({ kind: 'late', lateMs: 300_001 });
    expect(target.hits).toBe(hits); // not even probed
    expect(await checksOf(m.id)).toBe(before);
    const line = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'check.late_dropped' && l.monitorId === m.id);
    expect(line).toMatchObject({ level: 'warn', lateMs: 300_001, intervalSeconds: 300 });

    // Exactly one interval late is still this run's turn; a run without a time counts as on time.
    expect((await runCheck(t.svc, m.id, { ...fast, dueAt: now - 300_000 })).kind).toBe('checked');
    expect((await runCheck(t.svc, m.id, fast)).kind).toBe('checked');
    expect(await checksOf(m.id)).toBe(before + 2);
  });

  it('the schedule asks Scheduler for each run’s time, and the first check carries the services’ clock', async () => {
    const c = await t.signUp();
    const m = await c.monitors.create.mutate({ name: 'first', url: target.url });
    expect(JSON.parse(aws.store.get(m.id)!.Target!.Input!)).toEqual({ monitorId: m.id, scheduledAt: '<aws.scheduler.scheduled-time>' });
    const payload = aws.lambdaMock.commandCalls(InvokeCommand).at(-1)!.args[0].input.Payload!;
    expect(JSON.parse(new TextDecoder().decode(payload as Uint8Array))).toEqual({ monitorId: m.id, scheduledAt: new Date(now).toISOString() });
  });

  it('the checker’s event is validated: a scheduled time in ISO 8601, a monitor id, nothing else needed', () => {
    expect(parseCheckEvent({ monitorId: 'mon_a', scheduledAt: '2026-11-20T12:00:00Z' })).toEqual({ monitorId: 'mon_a', dueAt: Date.UTC(2026, 10, 20, 12) });
    expect(parseCheckEvent({ monitorId: 'mon_a' })).toEqual({ monitorId: 'mon_a', dueAt: undefined });
    // The placeholder itself (a schedule sent to something that does not substitute it) is refused.
    for (const bad of [null, {}, { monitorId: 3 }, { monitorId: 'mon_a', scheduledAt: '<aws.scheduler.scheduled-time>' }, { monitorId: 'mon_a', scheduledAt: 'yesterday' }]) {
      expect(parseCheckEvent(bad)).toBeNull();
    }
  });
});
