import { and, asc, eq, getTableColumns, gt, sql, type SQLWrapper } from 'drizzle-orm';
import { plan, type Plan } from '../db/plan.js';
import { accounts, monitorRemovals, monitors, type MonitorRow } from '../db/schema.js';
import type { Services } from '../services.js';
import { filterCondition, type MonitorFilter } from './reads.js';

/**
 * A dashboard's change feed: what happened to the account's monitors after a cursor, so a screen
 * that already holds the list polls a few bytes instead of the whole list. The cursor is the
 * account's own change counter (accounts.monitor_seq), bumped by triggers on every write that
 * changes what a screen shows (migration 0012): no clock, nothing of other accounts.
 */

/** Past this many changes at once, the screen is told to read its list again instead. */
export const CHANGES_CAP = 500;

export type ChangesQuery = MonitorFilter & { since: number };

export type Changes = {
  /** Monitors added or changed after the cursor that match the filters. */
  items: MonitorRow[];
  /** Monitors removed after the cursor, or changed so that they no longer match the filters. */
  goneIds: string[];
  /** Where the next poll starts. */
  cursor: number;
  /** More changed than CHANGES_CAP: read the list again (its changesCursor starts the feed anew). */
  reset: boolean;
};

/** The account's change counter as the list hands it out, read in the list's own batch. */
export function changesCursorPlan(svc: Services, accountId: string): Plan<number> {
  const query = svc.db.select({ seq: accounts.monitorSeq }).from(accounts).where(eq(accounts.id, accountId));
  return plan([query], ([rows]) => rows[0]?.seq ?? 0);
}

/** The changes after `since`, in one batch; `ids` selects the changed monitors that match (for their uptime). */
export function monitorChangesPlan(svc: Services, accountId: string, q: ChangesQuery): Plan<Changes> & { ids: SQLWrapper } {
  const filter = filterCondition(q) ?? sql`1`;
  const changed = and(eq(monitors.accountId, accountId), gt(monitors.changeSeq, q.since));
  const rows = svc.db
    .select({ ...getTableColumns(monitors), matches: sql<number>`CASE WHEN ${filter} THEN 1 ELSE 0 END`.mapWith(Number) })
    .from(monitors)
    .where(changed)
    .orderBy(asc(monitors.changeSeq))
    .limit(CHANGES_CAP + 1);
  const removals = svc.db
    .select({ monitorId: monitorRemovals.monitorId, seq: monitorRemovals.seq })
    .from(monitorRemovals)
    .where(and(eq(monitorRemovals.accountId, accountId), gt(monitorRemovals.seq, q.since)))
    .orderBy(asc(monitorRemovals.seq))
    .limit(CHANGES_CAP + 1);
  const ids = svc.db.select({ id: monitors.id }).from(monitors).where(and(changed, filter)).orderBy(asc(monitors.changeSeq)).limit(CHANGES_CAP);
  const feed = plan([rows, removals], ([changedRows, removed]): Changes => {
    if (changedRows.length > CHANGES_CAP || removed.length > CHANGES_CAP) return { items: [], goneIds: [], cursor: q.since, reset: true };
    const cursor = Math.max(q.since, ...changedRows.map((r) => r.changeSeq), ...removed.map((r) => r.seq));
    return {
      items: changedRows.filter((r) => r.matches === 1).map(({ matches: _, ...m }) => m),
      goneIds: [...removed.map((r) => r.monitorId), ...changedRows.filter((r) => r.matches !== 1).map((r) => r.id)],
      cursor,
      reset: false,
    };
  });
  return { ...feed, ids };
}
