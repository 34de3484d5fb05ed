import { eq } from 'drizzle-orm';
import { newestCheckId } from '../db/last-check.js';
import { monitors } from '../db/schema.js';
import { evaluateHeartbeat } from '../heartbeat/evaluate.js';
import { coveringWindows, inMaintenance } from '../maintenance/service.js';
import { recordCheck, statusFor, type Verdict } from './record.js';
import type { RecordServices } from './state-guard.js';

/** What the ping's stamp returns of the monitor it stamped. */
export type StampedMonitor = { id: string; status: string; paused: boolean };

/**
 * A ping decides a heartbeat's state at once, as Healthchecks.io does: a ping turns a pending or
 * down heartbeat up (closing its incident, with monitor.up), /fail turns it down (opening one, with
 * monitor.down). Only lateness, no ping within interval + grace, waits for the schedule.
 * A ping that changes nothing (up and pinged again) costs no read: the stamp's own answer says so.
 */
export function pingMayChangeState(m: StampedMonitor, failed: boolean): boolean {
  if (m.paused) return false;
  return failed ? m.status !== 'down' : m.status !== 'up' && m.status !== 'degraded';
}

/** A guarded recording that lost the race is retried from a fresh read, this many times at most. */
const ATTEMPTS = 3;

/**
 * Records the ping's verdict as a check, through the checker's own path (one batch: the check row,
 * the state, the incident, the rollups' time and the outbox events; then the notifier is woken),
 * guarded so that a scheduled evaluation recording from the same state cannot double it: whichever
 * commits second finds the state changed, and the ping then decides again from what is there now.
 * Inside a maintenance window the status is `maintenance` and nothing opens, as in the checker.
 * Null when nothing changes (paused, gone, or already in the state the ping gives).
 */
export async function recordPing(svc: RecordServices, monitorId: string, failed: boolean, at: number): Promise<Verdict | null> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const m = await svc.db
      .select({
        id: monitors.id, status: monitors.status, statusSince: monitors.statusSince, accruedUntil: monitors.accruedUntil,
        paused: monitors.paused, intervalSeconds: monitors.intervalSeconds, graceSeconds: monitors.graceSeconds,
        lastCheckId: newestCheckId(),
        windows: coveringWindows(),
      })
      .from(monitors)
      .where(eq(monitors.id, monitorId))
      .get();
    if (!m || !pingMayChangeState(m, failed)) return null;
    // The one rule of what a ping means (ok, or "ping reported failure"), with the ping just now.
    const result = evaluateHeartbeat(
      { intervalSeconds: m.intervalSeconds, graceSeconds: m.graceSeconds ?? 0, lastPingAt: at, lastPingOk: !failed, waitingSince: at },
      at,
    )!;
    const maintenance = inMaintenance(m.windows, at);
    const recovers = result.ok && m.status === 'down';
    if (statusFor(result, { maintenance }) === m.status && !recovers) return null;
    const verdict = await recordCheck(svc, m, result, at, at, { maintenance, guarded: true });
    if (!verdict.stale) return verdict;
  }
  svc.log.warn('heartbeat.transition_contended', { monitorId });
  return null;
}

/** The transition as the ping route takes it (src/heartbeat/route.ts). */
export const pingTransition = { mayChange: pingMayChangeState, record: recordPing };
