import { and, desc, eq, gte, or, sql, type SQL } from 'drizzle-orm';
import { checks, incidents, rollups } from '../db/schema.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { bucketStart, DAY_MS as DAY, HOUR_MS as HOUR } from '../domain/time.js';
import type { Services } from '../services.js';
import { toCheckOutput, toIncidentOutput, type CheckOutput, type IncidentOutput, type Uptime } from './wire.js';

/**
 * Uptime from the rollups only: at most 25 hourly rows for 24 h and 91 daily rows for 90 days,
 * whatever the number of raw checks. A window covers whole buckets, including the current one.
 */
export async function uptimeOf(svc: Services, monitorId: string): Promise<Uptime> {
  const now = svc.now();
  const rows = await svc.db
    .select()
    .from(rollups)
    .where(and(eq(rollups.monitorId, monitorId), uptimeWindow(now)));
  return uptimeFromRollups(rows, now);
}

/** The rollup rows every uptime window reads (so a caller can fetch many monitors' rows at once). */
export function uptimeWindow(now: number): SQL {
  return or(
    and(eq(rollups.grain, 'hour'), gte(rollups.bucketStart, bucketStart(now, 'hour') - 24 * HOUR)),
    and(eq(rollups.grain, 'day'), gte(rollups.bucketStart, bucketStart(now, 'day') - 89 * DAY)),
  )!;
}

export type RollupRow = Pick<typeof rollups.$inferSelect, 'grain' | 'bucketStart' | 'checks' | 'okChecks' | 'totalResponseMs'>;

/** Uptime over each window from rollup rows (those of one monitor, or of several to get their sum). */
export function uptimeFromRollups(rows: RollupRow[], now: number): Uptime {
  const sum = (grain: 'hour' | 'day', since: number) => {
    const picked = rows.filter((r) => r.grain === grain && r.bucketStart >= since);
    return picked.reduce(
      (a, r) => ({ checks: a.checks + r.checks, ok: a.ok + r.okChecks, ms: a.ms + r.totalResponseMs }),
      { checks: 0, ok: 0, ms: 0 },
    );
  };
  const day = (n: number) => bucketStart(now, 'day') - (n - 1) * DAY;
  const last24 = sum('hour', bucketStart(now, 'hour') - 24 * HOUR);
  return {
    uptime24h: uptimePercent(last24),
    uptime7d: uptimePercent(sum('day', day(7))),
    uptime30d: uptimePercent(sum('day', day(30))),
    uptime90d: uptimePercent(sum('day', day(90))),
    avgResponseTimeMs24h: last24.ok ? Math.round(last24.ms / last24.ok) : null,
  };
}

/** Percent of successful checks to three decimals, null when there were none. */
export const uptimePercent = (s: { checks: number; ok: number }) =>
  s.checks ? Math.round((s.ok / s.checks) * 100_000) / 1000 : null;

export type CheckPage = { items: CheckOutput[]; nextCursor: string | null };

/** Newest first, keyset-paginated on (checked_at, id) through the (monitor_id, checked_at, id) index. */
export async function listChecks(
  svc: Services,
  monitorId: string,
  { limit, cursor }: { limit: number; cursor?: string | null | undefined },
): Promise<CheckPage> {
  const before = cursor ? decodeCursor(cursor, /^\d{1,15}$/) : null;
  const rows = await svc.db
    .select()
    .from(checks)
    .where(
      and(
        eq(checks.monitorId, monitorId),
        before
          ? // A row value, so SQLite seeks into (monitor_id, checked_at, id) instead of walking newer rows.
            sql`(${checks.checkedAt}, ${checks.id}) < (${before.t}, ${Number(before.key)})`
          : undefined,
      ),
    )
    .orderBy(desc(checks.checkedAt), desc(checks.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toCheckOutput),
    nextCursor: rows.length > limit && last ? encodeCursor(last.checkedAt.getTime(), last.id) : null,
  };
}

export async function listIncidents(svc: Services, monitorId: string, limit = 100): Promise<IncidentOutput[]> {
  const rows = await svc.db
    .select()
    .from(incidents)
    .where(eq(incidents.monitorId, monitorId))
    .orderBy(desc(incidents.startedAt))
    .limit(limit);
  const now = svc.now();
  return rows.map((i) => toIncidentOutput(i, now));
}
