import { and, gte, isNotNull, lt, sql } from 'drizzle-orm';
import { wakeForEvents } from '../alerts/outbox.js';
import { newestCheckAt } from '../db/last-check.js';
import { monitors } from '../db/schema.js';
import type { ProbeResult } from '../probes/result.js';
import { mapBounded } from '../scheduler/bounded.js';
import { effectiveIntervalMs } from '../scheduler/fanout.js';
import { shardRange, TICK_MS } from '../scheduler/shards.js';
import type { Services } from '../services.js';
import { checkStatements, type CheckWrite, type Verdict } from './record.js';
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
  /** Monitors due in this tick. */
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
  /** How long after its scheduled time the tick started: on AWS, whether the shards keep their phases in the minute. */
  startLateMs: number;
  /** How late each recorded check started (ms): for the bench, not logged. */
  lateness: number[];
};

/**
 * The due monitors of a shard, in one read (ADR 0015): a monitor is due when both its
 * `next_check_at` (set where its schedule is set: create, edit, resume, the mode switch) and its
 * newest check plus its interval fall before the next tick. Nothing is written to claim them: the
 * check a tick records is its own mark, so a tick redelivered after it wrote finds them no longer
 * due, one retried after it failed finds them still due (none missed), and two ticks that overlap
 * both probe but only the first recording lands (each is guarded on the newest check it read).
 * Checks due later in the tick's minute run early by up to a minute, so a monitor keeps its interval.
 */
async function readDue(svc: Services, shard: number, shards: number, dueAt: number) {
  const { from, to } = shardRange(shard, shards);
  // When the monitor is due: a full interval after its newest check, and not before next_check_at.
  const dueTime = sql<number>`max(${monitors.nextCheckAt}, coalesce(${newestCheckAt()} + ${effectiveIntervalMs()}, 0))`;
  return svc.db
    .select({ ...checkColumns(), dueTime })
    .from(monitors)
    .where(
      and(
        from === null ? undefined : gte(monitors.id, from),
        to === null ? undefined : lt(monitors.id, to),
        isNotNull(monitors.nextCheckAt),
        lt(dueTime, dueAt + TICK_MS),
      ),
    );
}

/**
 * One shard's tick in fan-out mode (ADR 0015): reads the due monitors in one round trip, probes
 * them `concurrency` at a time, and writes every result in one batch. A first failure is confirmed
 * by a second probe after the delay, started as soon as it is seen; the tick's batch does not wait
 * for it, and the confirmed results go in one more batch. One `tick.done` line per tick; a line per
 * check only for a failure.
 */
export async function runTick(svc: Services, shard: number, shards: number, opts: TickOptions): Promise<TickSummary> {
  const startedAt = svc.now();
  const summary: TickSummary = { shard, shards, due: 0, probed: 0, up: 0, down: 0, late: 0, dropped: 0, confirmed: 0, ms: 0, startLateMs: startedAt - opts.dueAt, lateness: [] };
  if (startedAt - opts.dueAt > TICK_MS) {
    // A tick that waited past the next one (a throttle, a retry) leaves its monitors to that one.
    summary.dropped = 1;
    svc.log.warn('tick.late_dropped', { shard, shards, lateMs: startedAt - opts.dueAt });
    return summary;
  }
  const due = await readDue(svc, shard, shards, opts.dueAt);
  summary.due = due.length;

  const writes: { monitor: CheckedMonitor; write: CheckWrite; result: ProbeResult }[] = [];
  const confirming: Promise<void>[] = [];
  const confirmedWrites: typeof writes = [];
  const record = (into: typeof writes, monitor: CheckedMonitor, first: FirstProbe, result: ProbeResult) => {
    const write = checkStatements(svc.db, monitor, result, svc.now(), first.firstAt, { maintenance: first.maintenance, guarded: true });
    into.push({ monitor, write, result });
  };
  await mapBounded(due, opts.concurrency ?? TICK_CONCURRENCY, async (monitor) => {
    const first = await firstProbe(svc, monitor);
    if (!first) return;
    summary.probed++;
    const lateMs = Math.max(0, first.firstAt - Math.min(monitor.dueTime, opts.dueAt));
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
    await svc.db.$client.batch(writes.flatMap((w) => w.write.statements), 'write');
    written.push(...writes);
  } catch {
    for (const w of writes) {
      try {
        await svc.db.$client.batch(w.write.statements, 'write');
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
