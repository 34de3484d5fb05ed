import { and, eq, gte, sql } from 'drizzle-orm';
import { plan, type Plan } from '../db/plan.js';
import { regionRollups } from '../db/schema.js';
import { bucketStart, GRAIN_MS } from '../domain/time.js';
import type { Services } from '../services.js';
import { CHART_RANGES, type ChartRange } from './history.js';

/** One region's figures over a range: its mean response time when up, and how often it was asked, answered and up. */
export type RegionLatency = { region: string; avgResponseTimeMs: number | null; checks: number; answered: number; okChecks: number };

/**
 * Latency by region over `range`, from the per-region rollups (never the raw checks): one row per
 * region the monitor was checked from in that range, by region name. As a plan: batched after the
 * monitor's own read (monitorAnd), whose not found discards these rows.
 */
export function regionLatencyPlan(svc: Services, monitorId: string, range: ChartRange): Plan<RegionLatency[]> {
  const { grain, buckets } = CHART_RANGES[range];
  const from = bucketStart(svc.now(), grain) - (buckets - 1) * GRAIN_MS[grain];
  const r = regionRollups;
  const query = svc.db
    .select({
      region: r.region,
      checks: sql<number>`sum(${r.checks})`,
      answered: sql<number>`sum(${r.answered})`,
      okChecks: sql<number>`sum(${r.okChecks})`,
      totalResponseMs: sql<number>`sum(${r.totalResponseMs})`,
    })
    .from(r)
    .where(and(eq(r.monitorId, monitorId), eq(r.grain, grain), gte(r.bucketStart, from)))
    .groupBy(r.region)
    .orderBy(r.region);
  return plan([query], ([rows]) =>
    rows.map((row) => {
      const ok = Number(row.okChecks);
      return {
        region: row.region,
        avgResponseTimeMs: ok > 0 ? Math.round(Number(row.totalResponseMs) / ok) : null,
        checks: Number(row.checks),
        answered: Number(row.answered),
        okChecks: ok,
      };
    }),
  );
}
