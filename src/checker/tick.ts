import { and, gte, isNotNull, lt, sql } from 'drizzle-orm';
import { wakeForEvents } from '../alerts/outbox.js';
import type { Statement } from '../db/accrual.js';
import { monitors } from '../db/schema.js';
import type { ProbeResult } from '../probes/result.js';
import { mapBounded } from '../scheduler/bounded.js';
import { effectiveIntervalMs } from '../scheduler/fanout.js';
import { shardRange, TICK_MS } from '../scheduler/shards.js';
import type { Services } from '../services.js';
import { checkWrite, type CheckWrite, type Verdict } from './record.js';
import { checkColumns, confirmProbe, firstProbe, type CheckedMonitor, type FirstProbe } from './run.js';
import { stillAsRead } from './state-guard.js';

/** Probes in flight at once in one tick: a shard's checks mostly wait on their targets, not on the CPU. */
export const TICK_CONCURRENCY = 50;
/** A check started later than this after it was due counts as late in the tick's summary. */
export const LATE_MS = 5_000;

export type TickOptions = {
  /** When this tick was due (ms): its schedule's scheduled time. */
  dueAt: number;
  confirmDelayMs?: number;
  concurrency?: number;
};

/** What one tick did; logged as one `tick.done` line. */
export type TickSummary = {
  shard: number;
  shards: number;
  /** Monitors due in this tick (claimed by it). */
  due: number;
  /** Of those, probed (a heartbeat waiting for its ping is due but has nothing to probe). */
  probed: number;
  up: number;
  down: number;
  /** Checks started more than LATE_MS after they were due. */
  late: number;
  /** Checks not recorded: the monitor changed while it was probed (its edit or pause wins), or the whole tick came too late. */
  dropped: number;
  /** Failures re-checked before being recorded, after the tick's own batch. */
  confirmed: number;
  /** From the tick's start until its last write. */
  ms: number;
  /** How late each recorded check started (ms): for the bench, not logged. */
  lateness: number[];
};

/**
 * The claim: in one write transaction, one round trip, the shard's monitors due before the next
 * tick, read, and their next_check_at moved on by whole intervals past now (on their phase; a
 * stall of several intervals is one check, not a burst). Two ticks that overlap (a retried
 * invocation, the old and new shard sets while they are rebalanced) never claim the same check.
 */
async function claimDue(svc: Services, shard: number, shards: number, dueAt: number, now: number) {
  const { from, to } = shardRange(shard, shards);
  const due = and(
    from === null ? undefined : gte(monitors.id, from),
    to === null ? undefined : lt(monitors.id, to),
    isNotNull(monitors.nextCheckAt),
    lt(monitors.nextCheckAt, dueAt + TICK_MS),
  );
  const read = svc.db
    .select({ ...checkColumns(), nextCheckAt: monitors.nextCheckAt })
    .from(monitors)
    .where(due)
    .prepare();
  const step = effectiveIntervalMs();
  const claim = svc.db
    .update(monitors)
    .set({ nextCheckAt: sql`${monitors.nextCheckAt} + ${step} * ((max(${now}, ${monitors.nextCheckAt}) - ${monitors.nextCheckAt}) / ${step} + 1)` })
    .where(due)
    .toSQL();
  const q = read.getQuery();
  const [rows] = await svc.db.$client.batch(
    [
      { sql: q.sql, args: q.params as Statement['args'] },
      { sql: claim.sql, args: claim.params as Statement['args'] },
    ],
    'write',
  );
  return read.mapResult(rows, true) as (CheckedMonitor & { nextCheckAt: number })[];
}

/**
 * One shard's tick in fan-out mode (ADR 0015): claims the due monitors in one round trip, probes
 * them `concurrency` at a time, and writes every result in one batch. A first failure is confirmed
 * by a second probe after the delay, started as soon as it is seen; the tick's batch does not wait
 * for it, and the confirmed results go in one more batch. One `tick.done` line per tick; a line per
 * check only for a failure.
 */
export async function runTick(svc: Services, shard: number, shards: number, opts: TickOptions): Promise<TickSummary> {
  const startedAt = svc.now();
  const summary: TickSummary = { shard, shards, due: 0, probed: 0, up: 0, down: 0, late: 0, dropped: 0, confirmed: 0, ms: 0, lateness: [] };
  if (startedAt - opts.dueAt > TICK_MS) {
    // A tick that waited past the next one (a throttle, a retry) leaves its monitors to that one.
    summary.dropped = 1;
    svc.log.warn('tick.late_dropped', { shard, shards, lateMs: startedAt - opts.dueAt });
    return summary;
  }
  const due = await claimDue(svc, shard, shards, opts.dueAt, startedAt);
  summary.due = due.length;

  const writes: { monitor: CheckedMonitor; write: CheckWrite; result: ProbeResult }[] = [];
  const confirming: Promise<void>[] = [];
  const confirmedWrites: typeof writes = [];
  const record = (into: typeof writes, monitor: CheckedMonitor, first: FirstProbe, result: ProbeResult) => {
    const write = checkWrite(svc.db, monitor, result, svc.now(), first.firstAt, { maintenance: first.maintenance, guarded: true });
    into.push({ monitor, write, result });
  };
  await mapBounded(due, opts.concurrency ?? TICK_CONCURRENCY, async (monitor) => {
    const first = await firstProbe(svc, monitor);
    if (!first) return;
    summary.probed++;
    const lateMs = Math.max(0, first.firstAt - Math.min(monitor.nextCheckAt, opts.dueAt));
    summary.lateness.push(lateMs);
    if (lateMs > LATE_MS) summary.late++;
    if (!first.confirm) return record(writes, monitor, first, first.result);
    summary.confirmed++;
    confirming.push(confirmProbe(svc, monitor, first, opts.confirmDelayMs).then((result) => record(confirmedWrites, monitor, first, result)));
  });
  await writeChecks(svc, writes, summary);
  await Promise.all(confirming);
  await writeChecks(svc, confirmedWrites, summary);
  summary.ms = svc.now() - startedAt;
  const { lateness: _lateness, ...logged } = summary;
  svc.log.info('tick.done', logged);
  return summary;
}

/**
 * Every check's statements in one batch. Each check is guarded (its monitor still as read), so an
 * edit, a pause or a ping that changed one monitor meanwhile fails the batch: then each check is
 * written alone, and the changed monitor's check is dropped, as runCheck drops it.
 */
async function writeChecks(svc: Services, writes: { monitor: CheckedMonitor; write: CheckWrite; result: ProbeResult }[], summary: TickSummary): Promise<void> {
  if (writes.length === 0) return;
  const written: typeof writes = [];
  try {
    await svc.db.$client.batch(writes.flatMap((w) => w.write.batch), 'write');
    written.push(...writes);
  } catch {
    for (const w of writes) {
      try {
        await svc.db.$client.batch(w.write.batch, 'write');
        written.push(w);
      } catch (error) {
        if (await stillAsRead(svc.db, w.monitor)) throw error;
        summary.dropped++;
      }
    }
  }
  for (const { monitor, write, result } of written) count(summary, write.verdict, monitor.id, result, svc);
  await wakeForEvents(svc, written.flatMap((w) => w.write.eventIds));
}

function count(summary: TickSummary, verdict: Verdict, monitorId: string, result: ProbeResult, svc: Services): void {
  if (verdict.status === 'down') {
    summary.down++;
    svc.log.warn('tick.check_down', { monitorId, changed: verdict.changed, statusCode: result.statusCode, responseTimeMs: result.responseTimeMs, reason: result.reason });
  } else if (verdict.status === 'up' || verdict.status === 'degraded') summary.up++;
}
