import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { accounts, checks, monitorRemovals, monitors, rollups } from '../db/schema.js';
import { limitsOf, PLANS } from '../domain/plans.js';
import { DAY_MS } from '../domain/time.js';
import type { Services } from '../services.js';

export type PruneOptions = {
  /** Rows one DELETE removes at most: each statement holds the write lock for only that long. */
  chunk?: number;
  /** Monitors whose checks one DELETE looks at (index seeks on checks_monitor_time_idx). */
  monitorsPerPage?: number;
  /** Stop starting new statements at this time (the clock's ms); the next run goes on. */
  deadline?: number;
};

export type PruneResult = {
  /** Raw checks deleted. */
  deleted: number;
  /** Hourly rollup rows deleted (older than HOURLY_ROLLUPS_KEPT_MS). */
  hourlyRollupsDeleted: number;
  statements: number;
  largestDelete: number;
  done: boolean;
};

const CHUNK = 2_000;
/** A dashboard polls its change feed every few seconds and reads its whole list again every few minutes: a week of removals is far more than any screen's cursor needs. */
const REMOVALS_KEPT_MS = 7 * DAY_MS;
const MONITORS_PER_PAGE = 200;
/**
 * Hourly rollups are read for at most 90 days back (the 90-day bars and the 30-day chart sum a day's
 * checks from its hours, docs/adr/0018-rows-per-check.md), with two days' margin for time zones
 * and for a bar's first day; daily rollups are a row a day and stay.
 */
export const HOURLY_ROLLUPS_KEPT_MS = 92 * DAY_MS;

/**
 * Deletes raw checks older than each account's plan keeps, and hourly rollups older than any
 * screen reads them (HOURLY_ROLLUPS_KEPT_MS). Daily rollups and incidents stay, so uptime history
 * outlives both.
 *
 * Monitors are walked in id pages per plan, and each DELETE removes at most `chunk` rows found by
 * seeks on the (monitor, time) index: no statement scans the table or holds the write lock for
 * long, so checks recorded meanwhile wait at most one chunk. Every chunk commits alone, so a run
 * cut short (a deadline, a Lambda timeout) loses nothing and the next run finishes the job: what was
 * pruned costs it one empty index seek per monitor.
 *
 * No orphan sweep: a monitor's checks go with it (its delete batch and the foreign key), and a
 * check whose monitor vanished mid-probe is never written (the state guard, ADR 0008).
 */
export async function prune(svc: Services, opts: PruneOptions = {}): Promise<PruneResult> {
  const chunk = opts.chunk ?? CHUNK;
  const perPage = opts.monitorsPerPage ?? MONITORS_PER_PAGE;
  const result: PruneResult = { deleted: 0, hourlyRollupsDeleted: 0, statements: 0, largestDelete: 0, done: false };
  const outOfTime = () => opts.deadline !== undefined && svc.now() >= opts.deadline;
  await svc.db.delete(monitorRemovals).where(lt(monitorRemovals.removedAt, svc.now() - REMOVALS_KEPT_MS));
  const hoursCutoff = svc.now() - HOURLY_ROLLUPS_KEPT_MS;
  for (const plan of PLANS) {
    const cutoff = new Date(svc.now() - limitsOf(plan).historyDays * DAY_MS);
    for (let after = ''; ; ) {
      const page = await svc.db
        .select({ id: monitors.id })
        .from(monitors)
        .innerJoin(accounts, eq(accounts.id, monitors.accountId))
        .where(and(eq(accounts.plan, plan), gt(monitors.id, after)))
        .orderBy(asc(monitors.id))
        .limit(perPage);
      if (page.length === 0) break;
      const ids = page.map((m) => m.id);
      const doomedChecks = svc.db
        .select({ id: checks.id })
        .from(checks)
        .where(and(inArray(checks.monitorId, ids), lt(checks.checkedAt, cutoff)))
        .limit(chunk);
      if (!(await deleteInChunks(result, 'deleted', outOfTime, chunk, () => svc.db.delete(checks).where(inArray(checks.id, doomedChecks))))) return finish(svc, result);
      // Seeks on the primary key (monitor, grain, bucket): one range per monitor of the page.
      const doomedHours = svc.db
        .select({ rowid: sql`rowid` })
        .from(rollups)
        .where(and(inArray(rollups.monitorId, ids), eq(rollups.grain, 'hour'), lt(rollups.bucketStart, hoursCutoff)))
        .limit(chunk);
      if (!(await deleteInChunks(result, 'hourlyRollupsDeleted', outOfTime, chunk, () => svc.db.delete(rollups).where(inArray(sql`rowid`, doomedHours))))) return finish(svc, result);
      after = ids[ids.length - 1]!;
    }
  }
  result.done = true;
  return finish(svc, result);
}

/**
 * Runs `del` (a DELETE of at most `chunk` rows) until it deletes fewer, counting into `result`:
 * each statement commits alone. False when the deadline came first (the next run goes on).
 */
async function deleteInChunks(
  result: PruneResult,
  counter: 'deleted' | 'hourlyRollupsDeleted',
  outOfTime: () => boolean,
  chunk: number,
  del: () => PromiseLike<{ rowsAffected: number }>,
): Promise<boolean> {
  for (;;) {
    if (outOfTime()) return false;
    const { rowsAffected } = await del();
    result[counter] += rowsAffected;
    result.statements += 1;
    result.largestDelete = Math.max(result.largestDelete, rowsAffected);
    if (rowsAffected < chunk) return true;
  }
}

function finish(svc: Services, result: PruneResult): PruneResult {
  svc.log.info('prune.done', result);
  return result;
}
