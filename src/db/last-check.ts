import { eq, getTableName, sql, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { RegionOutcome } from '../domain/regions.js';
import { checks, monitors } from './schema.js';

/**
 * A monitor's last check is its newest `checks` row, not a copy on the monitor: a check that
 * changes nothing the monitor shows writes no monitor row (docs/adr/0018-rows-per-check.md).
 * Readers join it in the statement that reads the monitor, so it costs no round trip: one seek
 * down `checks_monitor_time_idx` per monitor.
 */
export const lastCheck = alias(checks, 'last_check');

/** The text of the scalar subquery giving the newest check's id (by time, then id) of the monitor whose id is the SQL `monitorId`. */
export const newestCheckIdText = (monitorId: string) =>
  `(SELECT c.id FROM checks c WHERE c.monitor_id = ${monitorId} ORDER BY c.checked_at DESC, c.id DESC LIMIT 1)`;

/**
 * newestCheckIdText as drizzle SQL, correlated to `monitors` (or to the given id). Spelled out:
 * drizzle leaves a column of a one-table select unqualified, and inside the subquery `"id"` would
 * be the check's own.
 */
const monitorsId = () => sql.raw(`"${getTableName(monitors)}"."${monitors.id.name}"`);

export const newestCheckId = (monitorId: SQLWrapper = monitorsId()) => {
  const [before, after] = newestCheckIdText('\u0000').split('\u0000') as [string, string];
  return sql<number | null>`${sql.raw(before)}${monitorId}${sql.raw(after)}`;
};

/** When the monitor (correlated to `monitors`) was last checked (ms), null when never: one seek down `checks_monitor_time_idx`. */
export const newestCheckAt = () => sql<number | null>`(SELECT max(c.checked_at) FROM checks c WHERE c.monitor_id = ${monitorsId()})`;

/** The join condition of `lastCheck` to `monitors` (a LEFT JOIN: a monitor never checked has none). */
export const lastCheckOn = eq(lastCheck.id, newestCheckId());

/** What a screen shows of the last check, as the columns of a select joined with `lastCheck`. */
export const lastCheckColumns = {
  lastCheckId: lastCheck.id,
  lastCheckedAt: lastCheck.checkedAt,
  lastStatusCode: lastCheck.statusCode,
  lastResponseTimeMs: lastCheck.responseTimeMs,
  lastReason: lastCheck.reason,
  /** What each region said at the last check (null: checked from home alone). */
  lastRegions: lastCheck.regions,
};

/** A monitor's last check as readers hand it on (all null before its first check). */
export type LastCheck = {
  lastCheckId: number | null;
  lastCheckedAt: Date | null;
  lastStatusCode: number | null;
  lastResponseTimeMs: number | null;
  lastReason: string | null;
  lastRegions: RegionOutcome[] | null;
};
