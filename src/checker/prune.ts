import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { accounts, checks, monitorRemovals, monitors } from '../db/schema.js';
import { limitsOf, PLANS } from '../domain/plans.js';
import { DAY_MS } from '../domain/time.js';
import type { Services } from '../services.js';

const REMOVALS_KEPT_MS = 7 * DAY_MS;

/**
 * Deletes raw checks older than each account's plan keeps. Rollups and incidents stay, so uptime
 * history outlives the raw checks. One statement per plan, using the checks' time index.
 */
export async function prune(svc: Services): Promise<{ deleted: number }> {
  let deleted = 0;
  for (const plan of PLANS) {
    const cutoff = new Date(svc.now() - limitsOf(plan).historyDays * DAY_MS);
    const planMonitors = svc.db
      .select({ id: monitors.id })
      .from(monitors)
      .innerJoin(accounts, eq(accounts.id, monitors.accountId))
      .where(eq(accounts.plan, plan));
    const res = await svc.db.delete(checks).where(and(lt(checks.checkedAt, cutoff), inArray(checks.monitorId, planMonitors)));
    deleted += res.rowsAffected;
  }
  // Checks of monitors deleted while a check was in flight belong to nobody.
  const orphans = await svc.db.run(sql`DELETE FROM checks WHERE monitor_id NOT IN (SELECT id FROM monitors)`);
  deleted += orphans.rowsAffected;
  // A dashboard polls its change feed every few seconds and reads its whole list again every few
  // minutes, so a week of removals is far more than any screen's cursor needs.
  await svc.db.delete(monitorRemovals).where(lt(monitorRemovals.removedAt, svc.now() - REMOVALS_KEPT_MS));
  svc.log.info('prune.done', { deleted });
  return { deleted };
}
