import { and, eq, gte, inArray, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { plan, type Plan } from '../db/plan.js';
import { rollups, type MonitorRow } from '../db/schema.js';
import type { Db } from '../db/client.js';
import { DAY_MS, GRAIN_MS, type RollupGrain } from '../domain/time.js';
import { categoryOf, UPTIME_WINDOWS, uptimePercent, windowStart, type UptimeWindow } from '../domain/uptime.js';
import type { Services } from '../services.js';
import type { Uptime } from './wire.js';

/**
 * SLA-true uptime, the single engine every reader goes through: the monitor APIs
 * (src/monitors/history.ts: monitorsWithUptimePlan: uptimeSumsPlan; monitorWithUptimePlan: uptimeRowsPlan +
 * uptimeFromRollups; in the read's own batch) and the status pages (uptimeWindow + uptimeFromRollups + timeIn, read in
 * their own batch). Figures come from the rollups' up/down counters only (at most 25 hourly and 90
 * daily rows per monitor, whatever the number of raw checks), plus each monitor's open stretch since
 * its last accrual, read from the monitor row in hand. A window covers whole buckets, including the
 * current one.
 */
export type UptimeSubject = Pick<MonitorRow, 'id' | 'status' | 'paused' | 'accruedUntil'>;

export type RollupRow = Pick<
  typeof rollups.$inferSelect,
  'monitorId' | 'grain' | 'bucketStart' | 'checks' | 'okChecks' | 'totalResponseMs' | 'upMs' | 'downMs'
>;

export const ALL_WINDOWS = ['uptime24h', 'uptime7d', 'uptime30d', 'uptime90d'] as const satisfies readonly UptimeWindow[];

/** The rollup rows the given windows read (so a caller can fetch many monitors' rows at once). */
export function uptimeWindow(now: number, windows: readonly UptimeWindow[] = ALL_WINDOWS): SQL {
  const from = (grain: RollupGrain) => {
    const starts = windows.filter((w) => UPTIME_WINDOWS[w].grain === grain).map((w) => windowStart(w, now));
    return starts.length ? Math.min(...starts) : null;
  };
  const hourFrom = from('hour') ?? windowStart('uptime24h', now);
  const dayFrom = from('day');
  return or(
    and(eq(rollups.grain, 'hour'), gte(rollups.bucketStart, hourFrom)),
    dayFrom === null ? undefined : and(eq(rollups.grain, 'day'), gte(rollups.bucketStart, dayFrom)),
  )!;
}

/**
 * Up and down time of the subjects, summed, in [from, to) on one grain's rollup rows: the
 * accrued counters plus each subject's open stretch (since its last accrual, up to now), which
 * belongs to its current status (degraded is up; paused, pending and maintenance are excluded).
 */
export function timeIn(
  rows: readonly RollupRow[],
  subjects: readonly UptimeSubject[],
  grain: RollupGrain,
  from: number,
  to: number,
  now: number,
): { upMs: number; downMs: number } {
  let upMs = 0;
  let downMs = 0;
  for (const r of rows) {
    if (r.grain !== grain || r.bucketStart < from || r.bucketStart >= to) continue;
    upMs += r.upMs;
    downMs += r.downMs;
  }
  for (const m of subjects) {
    if (m.accruedUntil === null) continue;
    const open = Math.max(0, Math.min(now, to) - Math.max(m.accruedUntil, from));
    const tail = categoryOf(m.status, m.paused);
    if (tail === 'up') upMs += open;
    if (tail === 'down') downMs += open;
  }
  return { upMs, downMs };
}

/**
 * Uptime over each window from rollup rows: those of one monitor, or of several (with all of
 * them as subjects) to get the time of all of them together. Rows outside what uptimeWindow
 * fetched for a window make that window's figure wrong: read the windows that were fetched.
 */
export function uptimeFromRollups(rows: readonly RollupRow[], subjects: readonly UptimeSubject[], now: number): Uptime {
  const figure = (w: UptimeWindow) => {
    const { upMs, downMs } = timeIn(rows, subjects, UPTIME_WINDOWS[w].grain, windowStart(w, now), Number.POSITIVE_INFINITY, now);
    return uptimePercent(upMs, downMs);
  };
  const hourFrom = windowStart('uptime24h', now);
  let ok = 0;
  let responseMs = 0;
  for (const r of rows) {
    if (r.grain !== 'hour' || r.bucketStart < hourFrom) continue;
    ok += r.okChecks;
    responseMs += r.totalResponseMs;
  }
  return {
    uptime24h: figure('uptime24h'),
    uptime7d: figure('uptime7d'),
    uptime30d: figure('uptime30d'),
    uptime90d: figure('uptime90d'),
    avgResponseTimeMs24h: ok ? Math.round(responseMs / ok) : null,
  };
}

/** One day's (or hour's) uptime from its rollup row and the subjects' open stretch: for bar charts. */
export function bucketUptime(rows: readonly RollupRow[], subjects: readonly UptimeSubject[], grain: RollupGrain, start: number, now: number): number | null {
  const { upMs, downMs } = timeIn(rows, subjects, grain, start, start + GRAIN_MS[grain], now);
  return uptimePercent(upMs, downMs);
}

/** One day's check counters of one monitor. */
export type DayCounts = { monitorId: string; bucketStart: number; checks: number; okChecks: number; totalResponseMs: number };

/**
 * Each day's check counters of the monitors since `from` (a day's start), summed from their hourly
 * rollups: a check adds its counters to its hour only; daily rollups carry the time up, down and
 * excluded, written when the status changes (docs/adr/0018-rows-per-check.md).
 */
export function dayCountsQuery(db: Db, monitorIds: string[] | SQLWrapper, from: number) {
  const bucketStart = sql<number>`${rollups.bucketStart} - ${rollups.bucketStart} % ${DAY_MS}`.mapWith(Number);
  const total = (column: SQLWrapper) => sql<number>`sum(${column})`.mapWith(Number);
  return db
    .select({ monitorId: rollups.monitorId, bucketStart, checks: total(rollups.checks), okChecks: total(rollups.okChecks), totalResponseMs: total(rollups.totalResponseMs) })
    .from(rollups)
    .where(and(inArray(rollups.monitorId, monitorIds), eq(rollups.grain, 'hour'), gte(rollups.bucketStart, from)))
    .groupBy(rollups.monitorId, bucketStart);
}

/** The rollup columns uptime reads, for callers that fetch the rows in their own batch. */
export const uptimeRollupColumns = {
  monitorId: rollups.monitorId,
  grain: rollups.grain,
  bucketStart: rollups.bucketStart,
  checks: rollups.checks,
  okChecks: rollups.okChecks,
  totalResponseMs: rollups.totalResponseMs,
  upMs: rollups.upMs,
  downMs: rollups.downMs,
};

/**
 * The rollup rows uptime over `windows` reads, of the given monitors: their ids, or a query
 * selecting them (so the rows come in the same batch as the monitors).
 */
export function uptimeRowsPlan(svc: Services, monitorIds: string[] | SQLWrapper, windows: readonly UptimeWindow[], now: number): Plan<RollupRow[]> {
  const query = svc.db
    .select(uptimeRollupColumns)
    .from(rollups)
    .where(and(inArray(rollups.monitorId, monitorIds), uptimeWindow(now, windows)));
  return plan([query], ([rows]) => rows);
}

export type UptimeSums<W extends UptimeWindow> = { monitorId: string; okChecks24h: number; responseMs24h: number } & Record<`up_${W}` | `down_${W}`, number>;

/**
 * What each monitor's uptime over `windows` needs, summed by the database: one row per monitor
 * and grain instead of its rollup rows, which a page of monitors spent most of its time fetching
 * and mapping (bench/RESULTS.md §1). One statement per grain, so each reads only its index range
 * (monitor, grain, bucket_start ≥ the earliest start): with both grains in one statement SQLite
 * walked every rollup row of each monitor (all 720 hourly rows of 30 days of history, not 24).
 * The same rows and bounds as uptimeRowsPlan + uptimeFromRollups.
 */
export function uptimeSumsPlan<W extends UptimeWindow>(svc: Services, monitorIds: SQLWrapper, windows: readonly W[], now: number): Plan<Map<string, UptimeSums<W>>> {
  const sumFrom = (from: number, column: SQLWrapper) =>
    sql<number>`coalesce(sum(case when ${rollups.bucketStart} >= ${from} then ${column} else 0 end), 0)`.mapWith(Number);
  const hourFrom = windowStart('uptime24h', now);
  const sumsOf = (grain: RollupGrain) => {
    const mine = windows.filter((w) => UPTIME_WINDOWS[w].grain === grain);
    const extra: Record<string, SQL<number>> =
      grain === 'hour' ? { okChecks24h: sumFrom(hourFrom, rollups.okChecks), responseMs24h: sumFrom(hourFrom, rollups.totalResponseMs) } : {};
    const from = Math.min(...mine.map((w) => windowStart(w, now)), grain === 'hour' ? hourFrom : Number.POSITIVE_INFINITY);
    const columns: Record<string, SQL<number>> = Object.fromEntries(
      mine.flatMap((w) => [
        [`up_${w}`, sumFrom(windowStart(w, now), rollups.upMs)],
        [`down_${w}`, sumFrom(windowStart(w, now), rollups.downMs)],
      ]),
    );
    return svc.db
      .select({ monitorId: rollups.monitorId, ...extra, ...columns })
      .from(rollups)
      .where(and(inArray(rollups.monitorId, monitorIds), eq(rollups.grain, grain), gte(rollups.bucketStart, from)))
      .groupBy(rollups.monitorId);
  };
  const hasDay = windows.some((w) => UPTIME_WINDOWS[w].grain === 'day');
  const queries = hasDay ? ([sumsOf('hour'), sumsOf('day')] as const) : ([sumsOf('hour')] as const);
  return plan([...queries], (results) => {
    const out = new Map<string, UptimeSums<W>>();
    for (const rows of results as unknown as Partial<UptimeSums<W>>[][]) {
      for (const r of rows) out.set(r.monitorId!, { ...out.get(r.monitorId!), ...r } as UptimeSums<W>);
    }
    return out;
  });
}

/** Each subject's uptime over `windows` from uptimeSumsPlan's sums (same `now`), plus its open stretch. */
export function uptimeFromSums<W extends UptimeWindow>(sums: UptimeSums<W> | undefined, subject: UptimeSubject, windows: readonly W[], now: number): Pick<Uptime, W | 'avgResponseTimeMs24h'> {
  const out = { avgResponseTimeMs24h: sums?.okChecks24h ? Math.round(sums.responseMs24h / sums.okChecks24h) : null } as Pick<Uptime, W | 'avgResponseTimeMs24h'>;
  for (const w of windows) {
    const open = timeIn([], [subject], UPTIME_WINDOWS[w].grain, windowStart(w, now), Number.POSITIVE_INFINITY, now);
    (out as unknown as Record<UptimeWindow, number | null>)[w] = uptimePercent((sums?.[`up_${w}`] ?? 0) + open.upMs, (sums?.[`down_${w}`] ?? 0) + open.downMs);
  }
  return out;
}
