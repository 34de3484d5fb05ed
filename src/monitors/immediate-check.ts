import { sql, type SQL } from 'drizzle-orm';
import { both, mapPlan, runPlan, type Plan } from '../db/plan.js';
import { accountWindowKey, judgeHit, windowHit, type WindowHit } from '../db/rate-limit.js';
import { auditStatement, type Actor } from '../audit/record.js';
import { conflict, rateLimited } from '../domain/errors.js';
import { effectiveIntervalSeconds, limitsOf, type AccountRef } from '../domain/plans.js';
import { HOUR_MS } from '../domain/time.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { kindOf } from './kinds/index.js';
import { getMonitor } from './reads.js';

/**
 * A monitor's check run now (after a create, a change to what is checked or a resume, or when a
 * person asks), within two budgets: one immediate check per monitor per effective plan interval,
 * and the plan's immediate checks per account per hour, so neither edits nor "check now" bypass
 * the plan's interval or run up the checker's bill (finding 6).
 */

/**
 * Both budgets counted in one plan, to ride in the write's own batch, counting nothing unless
 * `onlyIf` holds there (the write happened). The account's budget is spent only by a check the
 * monitor's own budget allows. The plan yields the hit that decides: the refusing one, else the account's.
 */
export function immediateCheckBudget(svc: Services, account: AccountRef, monitor: { id: string; intervalSeconds: number }, onlyIf: SQL = sql`1`): Plan<WindowHit> {
  const now = svc.now();
  const monitorKey = `immediate:${monitor.id}`;
  const accountLimit = limitsOf(account.plan).immediateChecksPerHour;
  const perMonitor = windowHit(svc.db, monitorKey, effectiveIntervalSeconds(monitor.intervalSeconds, account.plan) * 1000, now, onlyIf);
  const allowedForMonitor = sql`(SELECT count FROM rate_limits WHERE key = ${monitorKey}) <= 1`;
  const perAccount = windowHit(svc.db, accountWindowKey.immediateChecks(account.id), HOUR_MS, now, sql`${onlyIf} AND ${allowedForMonitor}`);
  return mapPlan(both(perMonitor, perAccount), ([m, a]): WindowHit => {
    const notCounted = { count: 0, limit: 0, remaining: 0, resetAt: now, allowed: false, retryAfterSeconds: 1 };
    if (!m) return notCounted;
    const forMonitor = judgeHit(m, 1, now);
    if (!forMonitor.allowed) return forMonitor;
    return a ? judgeHit(a, accountLimit, now) : notCounted;
  });
}

/** After a change: past either budget the change is saved and the schedule checks it in its turn (one round trip for both budgets). */
export async function requestImmediateCheck(svc: Services, account: AccountRef, monitor: { id: string; intervalSeconds: number }): Promise<boolean> {
  if (!(await runPlan(svc.db, immediateCheckBudget(svc, account, monitor))).allowed) return false;
  await triggerCheck(svc, monitor.id);
  return true;
}

/** The recurring schedule exists; a failed immediate check only delays the first result. */
export async function triggerCheck(svc: Services, monitorId: string): Promise<void> {
  await svc.scheduler.triggerNow(monitorId, svc.now()).catch((error) => {
    svc.log.warn('monitor.first_check_failed', { monitorId, ...describeError(error) });
  });
}

/**
 * "Check now": the same budgets, but past either the person is told when to try again (429 with
 * retryAfterSeconds). A paused monitor, or a kind that is not probed on demand, has nothing to run.
 */
export async function checkNow(svc: Services, account: AccountRef, id: string, actor: Actor): Promise<void> {
  const monitor = await getMonitor(svc, account.id, id);
  if (monitor.paused) throw conflict('the monitor is paused: resume it to check it');
  const why = kindOf(monitor.kind).notCheckableNow;
  if (why) throw conflict(why);
  const hit = await runPlan(svc.db, immediateCheckBudget(svc, account, monitor));
  if (!hit.allowed) throw rateLimited('checked a moment ago: a monitor can be checked now once per check interval, within the plan’s checks per hour', hit.retryAfterSeconds);
  await svc.scheduler.triggerNow(monitor.id, svc.now());
  // It spends the account's budget of checks and calls the target: who asked is worth keeping.
  await auditStatement(svc, actor, { action: 'monitors.checkNow', entity: 'monitors', entityId: monitor.id });
}
