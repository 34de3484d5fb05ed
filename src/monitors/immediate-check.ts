import { hitWindow, type WindowHit } from '../db/rate-limit.js';
import { conflict, rateLimited } from '../domain/errors.js';
import { effectiveIntervalSeconds, limitsOf, type AccountRef } from '../domain/plans.js';
import { HOUR_MS } from '../domain/time.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { getMonitor } from './reads.js';

/**
 * A monitor's check run now (after a create, a URL change or a resume, or when a person asks),
 * within two budgets: one immediate check per monitor per effective plan interval, and the plan's
 * immediate checks per account per hour, so neither edits nor "check now" bypass the plan's
 * interval or run up the checker's bill (finding 6).
 */
async function spendImmediateCheck(svc: Services, account: AccountRef, monitor: { id: string; intervalSeconds: number }, now: number): Promise<WindowHit> {
  const intervalMs = effectiveIntervalSeconds(monitor.intervalSeconds, account.plan) * 1000;
  const perMonitor = await hitWindow(svc.db, `immediate:${monitor.id}`, 1, intervalMs, now);
  if (!perMonitor.allowed) return perMonitor;
  return hitWindow(svc.db, `immediate-account:${account.id}`, limitsOf(account.plan).immediateChecksPerHour, HOUR_MS, now);
}

/** After a change: past either budget the change is saved and the schedule checks it in its turn. */
export async function requestImmediateCheck(
  svc: Services,
  account: AccountRef,
  monitor: { id: string; intervalSeconds: number },
): Promise<boolean> {
  const now = svc.now();
  if (!(await spendImmediateCheck(svc, account, monitor, now)).allowed) return false;
  // The recurring schedule exists; a failed immediate check only delays the first result.
  await svc.scheduler.triggerNow(monitor.id, now).catch((error) => {
    svc.log.warn('monitor.first_check_failed', { monitorId: monitor.id, ...describeError(error) });
  });
  return true;
}

/**
 * "Check now": the same budgets, but past either the person is told when to try again (429 with
 * retryAfterSeconds). A paused monitor or a heartbeat (checked by its pings) has nothing to run.
 */
export async function checkNow(svc: Services, account: AccountRef, id: string): Promise<void> {
  const monitor = await getMonitor(svc, account.id, id);
  if (monitor.paused) throw conflict('the monitor is paused: resume it to check it');
  if (monitor.kind === 'heartbeat') throw conflict('a heartbeat monitor is checked by its pings, not by Vigil');
  const now = svc.now();
  const hit = await spendImmediateCheck(svc, account, monitor, now);
  if (!hit.allowed) throw rateLimited('checked a moment ago: a monitor can be checked now once per check interval, within the plan’s checks per hour', hit.retryAfterSeconds);
  await svc.scheduler.triggerNow(monitor.id, now);
}
