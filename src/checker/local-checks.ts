import { FanoutScheduler } from '../scheduler/fanout.js';
import { LocalShardTicks } from '../scheduler/local-fanout.js';
import { LocalScheduler } from '../scheduler/local.js';
import type { Services } from '../services.js';
import { runCheck } from './run.js';
import { runTick } from './tick.js';

/** The in-process timers of a local process, whichever CHECK_MODE built them; undefined on EventBridge. */
function localTimers(svc: Services): LocalScheduler | LocalShardTicks | undefined {
  const s = svc.scheduler;
  if (s instanceof LocalScheduler) return s;
  if (s instanceof FanoutScheduler && s.shards instanceof LocalShardTicks) return s.shards;
  return undefined;
}

/**
 * Gives the local timers their work: a monitor's check (per-monitor mode, and a check asked for at
 * once in either mode), or a shard's tick (fan-out mode). Returns false when checks do not run in this process.
 */
export function attachLocalChecks(svc: Services, opts: { confirmDelayMs?: number } = {}): boolean {
  const timers = localTimers(svc);
  const check = (monitorId: string, dueAt?: number) => runCheck(svc, monitorId, { dueAt, ...opts }).then(() => undefined);
  // A per-monitor timer's check is never dropped as late: after a stall it is the one check that stands for the skipped ones.
  if (timers instanceof LocalScheduler) timers.attach((monitorId) => check(monitorId));
  else if (timers) timers.attach({ check, tick: (shard, shards, dueAt) => runTick(svc, shard, shards, { dueAt, ...opts }) });
  return timers !== undefined;
}

/** Stops starting checks and resolves when those in flight have recorded. */
export async function stopLocalChecks(svc: Services): Promise<void> {
  const timers = localTimers(svc);
  timers?.stop();
  await timers?.idle();
}
