import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { checks, incidents, monitors, rollups } from '../db/schema.js';
import { categoryOf, UPTIME_WINDOWS, uptimePercent, windowStart, type UptimeWindow } from '../domain/uptime.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import type { Services } from '../services.js';
import type { MonitorRow } from './service.js';

export const uptimeOutput = z.object({
  /**
   * SLA-true uptime in percent (issue 18): 1 − downtime / period, where the period is the window
   * less paused, maintenance and not-yet-checked time. Null when none of the window was observed.
   */
  uptime24h: z.number().nullable(),
  uptime7d: z.number().nullable(),
  uptime30d: z.number().nullable(),
  uptime90d: z.number().nullable(),
  /** Mean response time of the successful checks of the last 24 h, in ms. */
  avgResponseTimeMs24h: z.number().int().nullable(),
});
export type Uptime = z.infer<typeof uptimeOutput>;

type UptimeSubject = Pick<MonitorRow, 'id' | 'status' | 'paused' | 'accruedUntil'>;

/**
 * Uptime of several monitors over the given windows in ONE query over the rollups (at most 25
 * hourly and 90 daily rows per monitor, whatever the number of raw checks), plus each monitor's
 * open stretch since its last accrual, read from the row in hand. The single entry point for
 * uptime: the monitor pages, the list and the public API all read through it.
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

/** One monitor's uptime over 24 h / 7 d / 30 d / 90 d and its average response time. */
export async function uptimeOf(svc: Services, monitorId: string): Promise<Uptime> {
  const m = await svc.db.query.monitors.findFirst({
    columns: { id: true, status: true, paused: true, accruedUntil: true },
    where: eq(monitors.id, monitorId),
  });
  const none = { uptime24h: null, uptime7d: null, uptime30d: null, uptime90d: null, avgResponseTimeMs24h: null };
  if (!m) return none;
  return (await uptimeOfMany(svc, [m], ALL_WINDOWS)).get(m.id) ?? none;
}

export const checkOutput = z.object({
  checkedAt: z.iso.datetime(),
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  responseTimeMs: z.number().int().nullable(),
  reason: z.string().nullable(),
});

export type CheckPage = { items: z.infer<typeof checkOutput>[]; nextCursor: string | null };

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
    items: page.map((c) => ({
      checkedAt: c.checkedAt.toISOString(),
      ok: c.ok,
      statusCode: c.statusCode,
      responseTimeMs: c.responseTimeMs,
      reason: c.reason,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.checkedAt.getTime(), last.id) : null,
  };
}

export const incidentOutput = z.object({
  id: z.string(),
  startedAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
  /** Seconds from start to resolution, or until now while it is still open. */
  durationSeconds: z.number().int(),
  reason: z.string(),
  open: z.boolean(),
  /** issue 18: why it closed: "recovered" (the target came back) or "paused" (the monitor was paused). */
  closedBy: z.enum(['recovered', 'paused']).nullable(),
});

export type IncidentPage = { items: z.infer<typeof incidentOutput>[]; nextCursor: string | null };

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
    items: page.map((i) => ({
      id: i.id,
      startedAt: i.startedAt.toISOString(),
      resolvedAt: i.resolvedAt?.toISOString() ?? null,
      durationSeconds: Math.max(0, Math.round(((i.resolvedAt?.getTime() ?? now) - i.startedAt.getTime()) / 1000)),
      reason: i.reason,
      open: i.resolvedAt === null,
      closedBy: i.closedBy,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.startedAt.getTime(), last.id) : null,
  };
}
