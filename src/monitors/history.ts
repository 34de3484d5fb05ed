import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { checks, incidents, monitors, rollups, type MonitorRow } from '../db/schema.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { categoryOf, UPTIME_WINDOWS, uptimePercent, windowStart, type UptimeWindow } from '../domain/uptime.js';
import type { Services } from '../services.js';
import { toCheckOutput, toIncidentOutput, type CheckOutput, type IncidentOutput, type Uptime } from './wire.js';

type UptimeSubject = Pick<MonitorRow, 'id' | 'status' | 'paused' | 'accruedUntil'>;

/**
 * Uptime of several monitors over the given windows in ONE query over the rollups (at most 25
 * hourly and 90 daily rows per monitor, whatever the number of raw checks), plus each monitor's
 * open stretch since its last accrual, read from the row in hand (issue 18, SLA-true uptime). A
 * window covers whole buckets, including the current one. For lists; one monitor reads uptimeOf.
 */
export async function uptimeOfMany<W extends UptimeWindow>(
  svc: Services,
  subjects: UptimeSubject[],
  windows: readonly W[],
): Promise<Map<string, Record<W, number | null> & { avgResponseTimeMs24h: number | null }>> {
  const now = svc.now();
  const out = new Map<string, Record<W, number | null> & { avgResponseTimeMs24h: number | null }>();
  if (subjects.length === 0) return out;
  const starts = windows.map((w) => ({ w, grain: UPTIME_WINDOWS[w].grain, from: windowStart(w, now) }));
  const hourFrom = windowStart('uptime24h', now);
  const dayFrom = Math.min(...starts.filter((s) => s.grain === 'day').map((s) => s.from), Number.MAX_SAFE_INTEGER);
  const sums = starts.flatMap(({ grain, from }) => [
    sql`coalesce(sum(CASE WHEN ${rollups.grain} = ${grain} AND ${rollups.bucketStart} >= ${from} THEN ${rollups.upMs} END), 0)`,
    sql`coalesce(sum(CASE WHEN ${rollups.grain} = ${grain} AND ${rollups.bucketStart} >= ${from} THEN ${rollups.downMs} END), 0)`,
  ]);
  const rows = await svc.db.values<unknown[]>(sql`
    SELECT ${rollups.monitorId},
      coalesce(sum(CASE WHEN ${rollups.grain} = 'hour' AND ${rollups.bucketStart} >= ${hourFrom} THEN ${rollups.okChecks} END), 0),
      coalesce(sum(CASE WHEN ${rollups.grain} = 'hour' AND ${rollups.bucketStart} >= ${hourFrom} THEN ${rollups.totalResponseMs} END), 0),
      ${sql.join(sums, sql`, `)}
    FROM ${rollups}
    WHERE ${inArray(rollups.monitorId, subjects.map((m) => m.id))}
      AND ((${rollups.grain} = 'hour' AND ${rollups.bucketStart} >= ${hourFrom}) OR (${rollups.grain} = 'day' AND ${rollups.bucketStart} >= ${dayFrom}))
    GROUP BY ${rollups.monitorId}`);
  // libSQL rows are array-like, not arrays.
  const byId = new Map(rows.map((r) => Array.from(r as ArrayLike<unknown>)).map((r) => [String(r[0]), r.slice(1).map(Number)]));
  for (const m of subjects) {
    const [okChecks = 0, responseMs = 0, ...counters] = byId.get(m.id) ?? [];
    const tail = categoryOf(m.status, m.paused);
    const figures = {} as Record<W, number | null>;
    starts.forEach(({ w, from }, i) => {
      let up = counters[2 * i] ?? 0;
      let down = counters[2 * i + 1] ?? 0;
      // The stretch since the last check is not in the rollups yet: it belongs to the current status.
      const open = m.accruedUntil === null ? 0 : Math.max(0, now - Math.max(m.accruedUntil, from));
      if (tail === 'up') up += open;
      if (tail === 'down') down += open;
      figures[w] = uptimePercent(up, down);
    });
    out.set(m.id, { ...figures, avgResponseTimeMs24h: okChecks ? Math.round(responseMs / okChecks) : null });
  }
  return out;
}

const ALL_WINDOWS = ['uptime24h', 'uptime7d', 'uptime30d', 'uptime90d'] as const;

/** One monitor's uptime over 24 h / 7 d / 30 d / 90 d and its average response time: the single entry point for one monitor. */
export async function uptimeOf(svc: Services, monitorId: string): Promise<Uptime> {
  const m = await svc.db.query.monitors.findFirst({
    columns: { id: true, status: true, paused: true, accruedUntil: true },
    where: eq(monitors.id, monitorId),
  });
  const none = { uptime24h: null, uptime7d: null, uptime30d: null, uptime90d: null, avgResponseTimeMs24h: null };
  if (!m) return none;
  return (await uptimeOfMany(svc, [m], ALL_WINDOWS)).get(m.id) ?? none;
}

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

export type IncidentPage = { items: IncidentOutput[]; nextCursor: string | null };

/** Newest first, keyset-paginated on (started_at, id) (issue 18: was cut at 100 with no cursor). */
export async function listIncidents(
  svc: Services,
  monitorId: string,
  { limit, cursor }: { limit: number; cursor?: string | null | undefined },
): Promise<IncidentPage> {
  const before = cursor ? decodeCursor(cursor, /^inc_[a-z0-9]+$/) : null;
  const rows = await svc.db
    .select()
    .from(incidents)
    .where(
      and(
        eq(incidents.monitorId, monitorId),
        before ? sql`(${incidents.startedAt}, ${incidents.id}) < (${before.t}, ${before.key})` : undefined,
      ),
    )
    .orderBy(desc(incidents.startedAt), desc(incidents.id))
    .limit(limit + 1);
  const now = svc.now();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((i) => toIncidentOutput(i, now)),
    nextCursor: rows.length > limit && last ? encodeCursor(last.startedAt.getTime(), last.id) : null,
  };
}
