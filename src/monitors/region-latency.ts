import { and, eq, gte, inArray, sql, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { plan, type Plan } from '../db/plan.js';
import { regionRollups } from '../db/schema.js';
import { bucketStart, GRAIN_MS } from '../domain/time.js';
import type { Services } from '../services.js';
import { CHART_RANGES, type ChartRange } from './history.js';

/** One region's figures over a range: its mean response time when up, and how often it was asked, answered and up. */
export type RegionLatency = { region: string; avgResponseTimeMs: number | null; checks: number; answered: number; okChecks: number };

const total = (column: SQLWrapper) => sql<number>`sum(${column})`.mapWith(Number);

/**
 * Latency by region over `range` for each of `monitorIds` (a list, or a subquery of ids), from the
 * per-region rollups, never the raw checks: one row per monitor and region it was checked from in
 * that range, by region name. A builder, for callers that run it in their own batch.
 */
export function regionLatencyQuery(db: Db, monitorIds: string[] | SQLWrapper, range: ChartRange, now: number) {
  const { grain, buckets } = CHART_RANGES[range];
  const from = bucketStart(now, grain) - (buckets - 1) * GRAIN_MS[grain];
  const r = regionRollups;
  return db
    .select({
      monitorId: r.monitorId,
      region: r.region,
      checks: total(r.checks),
      answered: total(r.answered),
      okChecks: total(r.okChecks),
      totalResponseMs: total(r.totalResponseMs),
    })
    .from(r)
    .where(and(inArray(r.monitorId, monitorIds), eq(r.grain, grain), gte(r.bucketStart, from)))
    .groupBy(r.monitorId, r.region)
    .orderBy(r.monitorId, r.region);
}

/** A row of regionLatencyQuery as its figures: the mean over the checks the region answered up (null when none). */
export function regionLatencyOf(row: { region: string; checks: number; answered: number; okChecks: number; totalResponseMs: number }): RegionLatency {
  return {
    region: row.region,
    avgResponseTimeMs: row.okChecks > 0 ? Math.round(row.totalResponseMs / row.okChecks) : null,
    checks: row.checks,
    answered: row.answered,
    okChecks: row.okChecks,
  };
}

/**
 * One monitor's latency by region over `range`. As a plan: batched after the monitor's own read
 * (monitorAnd), whose not found discards these rows.
 */
export function regionLatencyPlan(svc: Services, monitorId: string, range: ChartRange): Plan<RegionLatency[]> {
  return plan([regionLatencyQuery(svc.db, [monitorId], range, svc.now())], ([rows]) => rows.map(regionLatencyOf));
}
