import { sql, type SQL } from 'drizzle-orm';
import { both, mapPlan, runPlan, type Plan } from '../db/plan.js';
import { judgeHit, windowHit } from '../db/rate-limit.js';
import { effectiveIntervalSeconds, limitsOf, type AccountRef } from '../domain/plans.js';
import { HOUR_MS } from '../domain/time.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';

/**
 * A monitor's check runs at once (after a create, a change to what is checked, or a resume) within
 * two budgets: one immediate check per monitor per effective plan interval, and the plan's
 * immediate checks per account per hour. Past either, the change is saved and the schedule checks
 * it in its turn, so edits cannot bypass the plan's interval or run up the checker's bill
 * (finding 6).
 */

/**
 * Both budgets counted in one plan, to ride in the write's own batch, counting nothing unless
 * `onlyIf` holds there (the write happened). The account's budget is spent only by a check the
 * monitor's own budget allows. The plan yields whether the check may run now.
 */
export function immediateCheckBudget(svc: Services, account: AccountRef, monitor: { id: string; intervalSeconds: number }, onlyIf: SQL = sql`1`): Plan<boolean> {
  const now = svc.now();
  const monitorKey = `immediate:${monitor.id}`;
  const accountLimit = limitsOf(account.plan).immediateChecksPerHour;
  const perMonitor = windowHit(svc.db, monitorKey, effectiveIntervalSeconds(monitor.intervalSeconds, account.plan) * 1000, now, onlyIf);
  const allowedForMonitor = sql`(SELECT count FROM rate_limits WHERE key = ${monitorKey}) <= 1`;
  const perAccount = windowHit(svc.db, `immediate-account:${account.id}`, HOUR_MS, now, sql`${onlyIf} AND ${allowedForMonitor}`);
  return mapPlan(both(perMonitor, perAccount), ([m, a]) => m !== null && a !== null && judgeHit(m, 1, now).allowed && judgeHit(a, accountLimit, now).allowed);
}

/** Runs the check now when the budgets allow (one round trip for both); whether it ran. */
export async function requestImmediateCheck(svc: Services, account: AccountRef, monitor: { id: string; intervalSeconds: number }): Promise<boolean> {
  if (!(await runPlan(svc.db, immediateCheckBudget(svc, account, monitor)))) return false;
  await triggerCheck(svc, monitor.id);
  return true;
}

/** The recurring schedule exists; a failed immediate check only delays the first result. */
export async function triggerCheck(svc: Services, monitorId: string): Promise<void> {
  await svc.scheduler.triggerNow(monitorId, svc.now()).catch((error) => {
    svc.log.warn('monitor.first_check_failed', { monitorId, ...describeError(error) });
  });
}
