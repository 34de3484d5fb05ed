import { sql, type SQL } from 'drizzle-orm';
import { DAY_MS, HOUR_MS, ROLLUP_GRAINS, splitIntoBuckets, type RollupGrain } from '../domain/time.js';
import type { TimeCategory } from '../domain/uptime.js';
import type { Db } from './client.js';

/** Hourly buckets only serve the 24 h window, daily ones at most 90 days: older time is not written. */
const KEEP_MS: Record<RollupGrain, number> = { hour: 26 * HOUR_MS, day: 92 * DAY_MS };

/** What one write adds to one rollup bucket (every counter of the `rollups` table). */
export type RollupDelta = {
  grain: RollupGrain;
  bucketStart: number;
  checks: number;
  okChecks: number;
  totalResponseMs: number;
  upMs: number;
  downMs: number;
  excludedMs: number;
};

const COUNTER = { up: 'upMs', down: 'downMs', excluded: 'excludedMs' } as const;

/**
 * The additions to a monitor's rollups, merged by bucket, so that one write (a check, a pause)
 * touches each bucket once and becomes a single upsert statement.
 */
export class RollupDeltas {
  readonly rows: RollupDelta[] = [];

  /** The bucket of `grain` that starts at `start`, created empty. */
  bucket(grain: RollupGrain, start: number): RollupDelta {
    let row = this.rows.find((r) => r.grain === grain && r.bucketStart === start);
    if (!row) {
      row = { grain, bucketStart: start, checks: 0, okChecks: 0, totalResponseMs: 0, upMs: 0, downMs: 0, excludedMs: 0 };
      this.rows.push(row);
    }
    return row;
  }

  /**
   * Adds the stretch [from, to) spent in `category` to the hourly and daily buckets it covers
   * (SLA-true uptime); time older than a grain is kept for is not written.
   */
  accrue(from: number | null, to: number, category: TimeCategory): this {
    if (from === null || from >= to) return this;
    for (const grain of ROLLUP_GRAINS) {
      for (const p of splitIntoBuckets(Math.max(from, to - KEEP_MS[grain]), to, grain)) this.bucket(grain, p.bucketStart)[COUNTER[category]] += p.ms;
    }
    return this;
  }
}

/** A statement for the libSQL client, as its `batch` takes it. */
export type Statement = { sql: string; args: Array<string | number | null> };

const upsertSql = new Map<number, string>();

const COUNTERS = ['checks', 'ok_checks', 'total_response_ms', 'up_ms', 'down_ms', 'excluded_ms'] as const;

/**
 * A bucket's slot holds either that bucket (its counters are added to) or the hour HOUR_SLOTS hours
 * older (overwritten: that hour is no longer read, and one row is written either way). The WHERE
 * keeps a late write of an old hour from overwriting the newer hour in its slot.
 */
const ON_SLOT =
  ' ON CONFLICT (monitor_id, grain, slot) DO UPDATE SET ' +
  COUNTERS.map((c) => `${c} = CASE WHEN rollups.bucket_start = excluded.bucket_start THEN ${c} + excluded.${c} ELSE excluded.${c} END`).join(', ') +
  ', bucket_start = excluded.bucket_start WHERE rollups.bucket_start <= excluded.bucket_start';

/**
 * One statement adding every counter of every row to the monitor's rollups (insert, add to the
 * bucket already there, or reuse its slot). Its text depends only on the number of rows, so it is
 * built once per count.
 */
export function rollupUpsert(monitorId: string, deltas: RollupDeltas): Statement | null {
  const n = deltas.rows.length;
  if (n === 0) return null;
  let text = upsertSql.get(n);
  if (!text) {
    text =
      'INSERT INTO rollups (monitor_id, grain, bucket_start, checks, ok_checks, total_response_ms, up_ms, down_ms, excluded_ms) VALUES ' +
      Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ') +
      ON_SLOT;
    upsertSql.set(n, text);
  }
  const args: Statement['args'] = [];
  for (const r of deltas.rows) args.push(monitorId, r.grain, r.bucketStart, r.checks, r.okChecks, r.totalResponseMs, r.upMs, r.downMs, r.excludedMs);
  return { sql: text, args };
}

/** A libSQL statement as a drizzle one, for a `db.batch` of drizzle queries. */
function asDrizzle(s: Statement): SQL {
  const parts = s.sql.split('?');
  const chunks: SQL[] = [sql.raw(parts[0]!)];
  s.args.forEach((a, i) => chunks.push(sql`${a}`, sql.raw(parts[i + 1]!)));
  return sql.join(chunks);
}

/**
 * The upsert that adds the stretch [from, to) spent in `category` to the hourly and daily rollups
 * of a monitor (SLA-true uptime). Returned, not run, so callers (a monitor's pause and
 * resume) put it in the same batch as the state change that closes the stretch; the checker adds
 * the same stretch to its own RollupDeltas (src/checker/record.ts).
 */
export function accrueStatements(db: Db, monitorId: string, from: number | null, to: number, category: TimeCategory) {
  const upsert = rollupUpsert(monitorId, new RollupDeltas().accrue(from, to, category));
  return upsert ? [db.run(asDrizzle(upsert))] : [];
}
