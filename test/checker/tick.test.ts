import { count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { runTick } from '../../src/checker/tick.js';
import { checks, monitors } from '../../src/db/schema.js';
import { parseCheckEvent } from '../../src/scheduler/check-event.js';
import { shardInput } from '../../src/scheduler/eventbridge.js';
import { parseTickEvent, shardCountFor, shardRange } from '../../src/scheduler/shards.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { startTarget } from '../support/target.js';

let t: TestApp;
let target: Awaited<ReturnType<typeof startTarget>>;
let failing: Awaited<ReturnType<typeof startTarget>>;
let now = Date.UTC(2026, 5, 1, 12, 0);
beforeAll(async () => {
  target = await startTarget();
  failing = await startTarget();
  failing.always = 500;
  t = await startTestApp({ env: { CHECK_MODE: 'fan-out' }, now: () => now });
});
afterAll(async () => {
  await t.close();
  await target.close();
  await failing.close();
});

/** `n` one-minute monitors of a new Team account (their first checks are not run: nothing is attached), and their ids. */
async function monitorsOf(n: number, url = target.url): Promise<string[]> {
  const c = await t.signUp();
  await setPlanByEmail(t.svc, c.email, 'team');
  const fresh = t.client(c.jar);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await fresh.monitors.create.mutate({ name: `m${i}`, url, intervalSeconds: 60 })).id);
  return ids;
}
const checksOf = async (ids: string[]) => (await t.svc.db.select({ n: count() }).from(checks).where(inArray(checks.monitorId, ids)))[0]!.n;
const tickLines = () => t.logs.filter((l) => l.includes('"tick.'));

describe('a fan-out tick', () => {
  it('reads its due monitors in one round trip, writes every result in one batch and nothing else, and logs one line', async () => {
    const ids = await monitorsOf(20);
    now += 60_000;
    const before = tickLines().length;
    const batch = vi.spyOn(t.svc.db.$client, 'batch');
    const execute = vi.spyOn(t.svc.db.$client, 'execute');
    try {
      const summary = await runTick(t.svc, 0, 1, { dueAt: now });
      expect(summary).toMatchObject({ due: 20, probed: 20, up: 20, down: 0, late: 0, dropped: 0, confirmed: 0 });
      // The read and the results: two round trips for twenty checks, and no write but the results'
      // (test/checker/rows-per-check.test.ts counts them). The spies see the whole client: the
      // sign-up's mail leaving its outbox is not the tick's.
      const sqlOf = (call: unknown[]) => (call[0] as { sql: string }[]).map((q) => q.sql).join('\n');
      const textOf = (call: unknown[]) => String((call[0] as { sql?: string }).sql ?? call[0]);
      const reads = execute.mock.calls.filter((call) => /next_check_at/.test(textOf(call)));
      expect(reads).toHaveLength(1);
      expect(textOf(reads[0]!)).toMatch(/^select/i);
      const tickBatches = batch.mock.calls.filter((call) => /next_check_at|"checks"/.test(sqlOf(call)));
      expect(tickBatches).toHaveLength(1);
      expect(sqlOf(tickBatches[0]!).match(/insert into "checks"/gi)).toHaveLength(20);
      expect(tickBatches[0]![1]).toBe('write');
    } finally {
      batch.mockRestore();
      execute.mockRestore();
    }
    expect(await checksOf(ids)).toBe(20);
    const lines = tickLines().slice(before);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'tick.done', shard: 0, shards: 1, due: 20, probed: 20, up: 20, down: 0, late: 0, dropped: 0, ms: expect.any(Number) });
    // Its checks mark them done: the same minute's tick redelivered finds nothing due, and the next minute's all of them.
    expect((await runTick(t.svc, 0, 1, { dueAt: now })).due).toBe(0);
    now += 60_000;
    expect((await runTick(t.svc, 0, 1, { dueAt: now })).due).toBeGreaterThanOrEqual(20);
  });

  it('retried after its write failed, checks the same monitors again: none is missed, none doubled', async () => {
    const ids = await monitorsOf(3);
    now += 60_000;
    await t.settled();
    // The database goes away after the probes: every write of the tick fails, and so does the tick.
    const down = vi.spyOn(t.svc.db.$client, 'batch').mockRejectedValue(new Error('connection lost'));
    try {
      await expect(runTick(t.svc, 0, 1, { dueAt: now })).rejects.toThrow('connection lost');
    } finally {
      down.mockRestore();
    }
    expect(await checksOf(ids)).toBe(0);
    const retried = await runTick(t.svc, 0, 1, { dueAt: now });
    expect(retried.dropped).toBe(0);
    expect(await checksOf(ids)).toBe(3);
    expect((await runTick(t.svc, 0, 1, { dueAt: now })).due).toBe(0);
    expect(await checksOf(ids)).toBe(3);
  });

  it('writes its batch without waiting for a failure’s confirmation, and logs that failure alone', async () => {
    const healthy = await monitorsOf(5);
    const [broken] = await monitorsOf(1, failing.url);
    now += 60_000;
    const before = tickLines().length;
    const started = performance.now();
    const order: { at: number; statements: number }[] = [];
    const real = t.svc.db.$client.batch.bind(t.svc.db.$client);
    const wrapped = vi.spyOn(t.svc.db.$client, 'batch').mockImplementation(async (stmts, mode) => {
      const r = await real(stmts, mode);
      // Only the tick's own batches (its checks): the sign-ups' mail leaving its outbox,
      // or alerts being delivered, run in the background on the same client.
      const text = JSON.stringify(stmts);
      if (!/insert into \\"checks\\"/i.test(text)) return r;
      order.push({ at: performance.now() - started, statements: stmts.length });
      return r;
    });
    let summary;
    try {
      summary = await runTick(t.svc, 0, 1, { dueAt: now, confirmDelayMs: 1_500 });
    } finally {
      wrapped.mockRestore();
    }
    // The earlier tests' one-minute monitors are due again too.
    expect(summary).toMatchObject({ down: 1, confirmed: 1, dropped: 0 });
    expect(summary!.up).toBe(summary!.due - 1);
    // The healthy checks (well before the confirmation's delay), then the confirmed failure.
    expect(order).toHaveLength(2);
    expect(order[0]!.at).toBeLessThan(1_000);
    expect(order[1]!.at).toBeGreaterThanOrEqual(1_500);
    expect(await checksOf(healthy)).toBe(5);
    expect(failing.hits).toBe(2);
    const lines = tickLines().slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.event)).toEqual(['tick.check_down', 'tick.done']);
    expect(lines[0]).toMatchObject({ monitorId: broken, statusCode: 500 });
    expect((await t.svc.db.select().from(monitors).where(eq(monitors.id, broken!)))[0]).toMatchObject({ status: 'down' });
  });

  it('never checks a monitor twice when two ticks of its shard overlap', async () => {
    const ids = await monitorsOf(10);
    now += 60_000;
    const [a, b] = await Promise.all([runTick(t.svc, 0, 1, { dueAt: now }), runTick(t.svc, 0, 1, { dueAt: now })]);
    expect(a.due + b.due).toBeGreaterThanOrEqual(10);
    expect(await checksOf(ids)).toBe(10);
  });

  it('drops a tick that starts more than a tick late, and leaves its monitors to the next', async () => {
    const ids = await monitorsOf(2);
    now += 60_000;
    const late = await runTick(t.svc, 0, 1, { dueAt: now - 61_000 });
    expect(late).toMatchObject({ due: 0, dropped: 1 });
    expect(t.logs.at(-1)).toContain('tick.late_dropped');
    expect(await checksOf(ids)).toBe(0);
    const next = await runTick(t.svc, 0, 1, { dueAt: now });
    expect(next.due).toBeGreaterThanOrEqual(2);
    expect(await checksOf(ids)).toBe(2);
  });
});

describe('shards', () => {
  it('split the ids into ranges that hold every id exactly once, about evenly', () => {
    const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
    const ids = Array.from({ length: 4000 }, () => `mon_${Array.from({ length: 24 }, () => alphabet[Math.floor(Math.random() * 36)]).join('')}`);
    for (const n of [1, 2, 4, 8, 64]) {
      const sizes = Array.from({ length: n }, (_, i) => {
        const { from, to } = shardRange(i, n);
        return ids.filter((id) => (from === null || id >= from) && (to === null || id < to)).length;
      });
      expect(sizes.reduce((a, b) => a + b)).toBe(ids.length);
      expect(Math.max(...sizes)).toBeLessThan((ids.length / n) * 1.5 + 20);
    }
  });

  it('are told apart from a monitor’s check by the checker, and a malformed tick is refused', () => {
    const at = '2026-06-01T12:00:00Z';
    const sent = JSON.parse(shardInput(3, 8).replace('<aws.scheduler.scheduled-time>', at)) as unknown;
    expect(parseTickEvent(sent)).toEqual({ shard: 3, shards: 8, dueAt: Date.parse(at) });
    expect(parseCheckEvent(sent)).toBeNull();
    expect(parseTickEvent({ monitorId: 'mon_abc', scheduledAt: at })).toBeNull();
    expect(parseTickEvent({ shard: 8, shards: 8, scheduledAt: at })).toBeNull();
    expect(parseTickEvent({ shard: 0, shards: 1 })).toBeNull();
    expect(parseTickEvent({ shard: -1, shards: 1, scheduledAt: at })).toBeNull();
  });

  it('double while a shard would be over its size, and halve only when the halves stay three-quarters full', () => {
    expect(shardCountFor(0, 1000, 0)).toBe(1);
    expect(shardCountFor(1000, 1000, 1)).toBe(1);
    expect(shardCountFor(1001, 1000, 1)).toBe(2);
    expect(shardCountFor(5000, 1000, 1)).toBe(8);
    expect(shardCountFor(1000, 1000, 2)).toBe(2); // no flapping at the boundary
    expect(shardCountFor(750, 1000, 2)).toBe(1);
    expect(shardCountFor(2900, 1000, 8)).toBe(4);
  });
});
