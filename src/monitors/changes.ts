import { and, asc, eq, gt, max, or, sql, type SQLWrapper } from 'drizzle-orm';
import { lastCheck, lastCheckOn, newestCheckId } from '../db/last-check.js';
import { plan, type Plan } from '../db/plan.js';
import { accounts, monitorRemovals, monitors } from '../db/schema.js';
import type { Services } from '../services.js';
import { filterCondition, monitorRowColumns, type MonitorFilter, type MonitorRow } from './reads.js';

/**
 * A dashboard's change feed: what happened to the account's monitors after a cursor, so a screen
 * that already holds the list polls a few bytes instead of the whole list. The cursor has two
 * parts, neither a clock and neither counting other accounts' writes: the account's own change
 * counter (accounts.monitor_seq), bumped by triggers on every write that changes what the monitor
 * row shows (migrations 0012, 0015), and the id of the newest check of the account's monitors seen
 * (a check that changes nothing writes no monitor row, docs/adr/0018-rows-per-check.md; check ids
 * only grow, in the order checks commit, so a check committed after a read has a greater one).
 */

/** Where the feed resumes: the account's change counter, and the newest check id seen. */
export type FeedCursor = { seq: number; checkId: number };

/** The cursor as the APIs hand it out: "seq.checkId", opaque to its holder. */
export const formatFeedCursor = (c: FeedCursor) => `${c.seq}.${c.checkId}`;

/**
 * A cursor as the APIs take it back. One without a check part (handed out before it had one) sees
 * every checked monitor once, or a reset, after which the screen holds a whole cursor.
 */
export const parseFeedCursor = (text: string): FeedCursor => {
  const [seq, checkId] = text.split('.');
  return { seq: Number(seq), checkId: Number(checkId ?? 0) };
};

/** Past this many changes at once, the screen is told to read its list again instead. */
export const CHANGES_CAP = 500;

export type ChangesQuery = MonitorFilter & { since: FeedCursor };

export type Changes = {
  /** Monitors added or changed after the cursor that match the filters. */
  items: MonitorRow[];
  /** Monitors removed after the cursor, or changed so that they no longer match the filters. */
  goneIds: string[];
  /** Where the next poll starts. */
  cursor: FeedCursor;
  /** More changed than CHANGES_CAP: read the list again (its changesCursor starts the feed anew). */
  reset: boolean;
};

/** The feed's cursor as the list hands it out, read in the list's own batch. */
export function changesCursorPlan(svc: Services, accountId: string): Plan<FeedCursor> {
  const newestOfAccount = svc.db.select({ id: max(newestCheckId()) }).from(monitors).where(eq(monitors.accountId, accountId));
  const query = svc.db.select({ seq: accounts.monitorSeq, checkId: sql<number | null>`(${newestOfAccount})` }).from(accounts).where(eq(accounts.id, accountId));
  return plan([query], ([rows]) => ({ seq: rows[0]?.seq ?? 0, checkId: Number(rows[0]?.checkId ?? 0) }));
}

/** The changes after `since`, in one batch; `ids` selects the changed monitors that match (for their uptime). */
export function monitorChangesPlan(svc: Services, accountId: string, q: ChangesQuery): Plan<Changes> & { ids: SQLWrapper } {
  const filter = filterCondition(q) ?? sql`1`;
  // Changed in its row, or checked since: every monitor of the account is looked at (one seek for its newest check).
  const changed = and(eq(monitors.accountId, accountId), or(gt(monitors.changeSeq, q.since.seq), gt(lastCheck.id, q.since.checkId)));
  const rows = svc.db
    .select({ ...monitorRowColumns, matches: sql<number>`CASE WHEN ${filter} THEN 1 ELSE 0 END`.mapWith(Number) })
    .from(monitors)
    .leftJoin(lastCheck, lastCheckOn)
    .where(changed)
    .orderBy(asc(monitors.changeSeq))
    .limit(CHANGES_CAP + 1);
  const removals = svc.db
    .select({ monitorId: monitorRemovals.monitorId, seq: monitorRemovals.seq })
    .from(monitorRemovals)
    .where(and(eq(monitorRemovals.accountId, accountId), gt(monitorRemovals.seq, q.since.seq)))
    .orderBy(asc(monitorRemovals.seq))
    .limit(CHANGES_CAP + 1);
  const ids = svc.db
    .select({ id: monitors.id })
    .from(monitors)
    .leftJoin(lastCheck, lastCheckOn)
    .where(and(changed, filter))
    .orderBy(asc(monitors.changeSeq))
    .limit(CHANGES_CAP);
  const feed = plan([rows, removals], ([changedRows, removed]): Changes => {
    if (changedRows.length > CHANGES_CAP || removed.length > CHANGES_CAP) return { items: [], goneIds: [], cursor: q.since, reset: true };
    const cursor = {
      seq: Math.max(q.since.seq, ...changedRows.map((r) => r.changeSeq), ...removed.map((r) => r.seq)),
      // The monitors not returned have no check newer than the one given.
      checkId: Math.max(q.since.checkId, ...changedRows.map((r) => r.lastCheckId ?? 0)),
    };
    return {
      items: changedRows.filter((r) => r.matches === 1).map(({ matches: _, ...m }) => m),
      goneIds: [...removed.map((r) => r.monitorId), ...changedRows.filter((r) => r.matches !== 1).map((r) => r.id)],
      cursor,
      reset: false,
    };
  });
  return { ...feed, ids };
}
