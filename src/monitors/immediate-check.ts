import { accountWindowKey, hitWindow } from '../db/rate-limit.js';
import { effectiveIntervalSeconds, limitsOf, type AccountRef } from '../domain/plans.js';
import { HOUR_MS } from '../domain/time.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';

/**
 * Runs a monitor's check now (after a create, a URL change or a resume), within two budgets: one
 * immediate check per monitor per effective plan interval, and the plan's immediate checks per
 * account per hour. Past either, the change is saved and the schedule checks it in its turn, so
 * edits cannot bypass the plan's interval or run up the checker's bill (finding 6).
 */
export async function requestImmediateCheck(
  svc: Services,
  account: AccountRef,
  monitor: { id: string; intervalSeconds: number },
): Promise<boolean> {
  const now = svc.now();
  const intervalMs = effectiveIntervalSeconds(monitor.intervalSeconds, account.plan) * 1000;
  const perMonitor = await hitWindow(svc.db, `immediate:${monitor.id}`, 1, intervalMs, now);
  if (!perMonitor.allowed) return false;
  const perAccount = await hitWindow(svc.db, accountWindowKey.immediateChecks(account.id), limitsOf(account.plan).immediateChecksPerHour, HOUR_MS, now);
  if (!perAccount.allowed) return false;
  // The recurring schedule exists; a failed immediate check only delays the first result.
  await svc.scheduler.triggerNow(monitor.id, now).catch((error) => {
    svc.log.warn('monitor.first_check_failed', { monitorId: monitor.id, ...describeError(error) });
  });
  return true;
}
