import { and, asc, desc, eq, gte, inArray, isNull, or } from 'drizzle-orm';
import * as z from 'zod';
import { accounts, incidents, monitors, rollups, statusPageMonitors, statusPages } from '../db/schema.js';
import { lastCheck as newestCheck, lastCheckOn } from '../db/last-check.js';
import { DAY_MS as DAY } from '../domain/time.js';
import { firstDayOf, uptimeDays } from '../monitors/history.js';
import { regionLatencyOf, regionLatencyQuery, type RegionLatency } from '../monitors/region-latency.js';
import { dayCountsQuery, uptimeFromRollups, uptimeRollupColumns, uptimeWindow } from '../monitors/uptime.js';
import { MONITOR_STATUSES, severalRegionsOf, statusOf } from '../monitors/wire.js';
import type { Services } from '../services.js';

export const BAR_DAYS = 90;
export const INCIDENT_DAYS = 14;

export const OVERALL_STATUSES = ['operational', 'partial_outage', 'major_outage'] as const;
export type OverallStatus = (typeof OVERALL_STATUSES)[number];
export const OVERALL_TEXT: Record<OverallStatus, string> = {
  operational: 'All systems operational',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

const iso = z.iso.datetime();

/**
 * Everything a public page shows, and nothing else: the HTML, the JSON, the feed and the badges
 * are all drawn from this one object, so they agree, and what is private never reaches it.
 */
export const publicStatusOutput = z.object({
  page: z.object({ slug: z.string(), title: z.string(), description: z.string().nullable() }),
  status: z.enum(OVERALL_STATUSES),
  summary: z.string(),
  /** The latest check of any monitor on the page. */
  updatedAt: iso.nullable(),
  /**
   * The page as a whole (its badge): SLA-true, like each monitor's (src/monitors/uptime.ts), over
   * the time of every monitor on it together.
   */
  uptime24h: z.number().nullable(),
  uptime30d: z.number().nullable(),
  uptime90d: z.number().nullable(),
  monitors: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      /** Only when the owner opted in (showUrls). */
      url: z.string().optional(),
      status: z.enum(MONITOR_STATUSES),
      statusSince: iso.nullable(),
      /** Only when the owner opted in (showReasons) and the monitor is down. */
      reason: z.string().optional(),
      uptime24h: z.number().nullable(),
      uptime30d: z.number().nullable(),
      uptime90d: z.number().nullable(),
      /** The last 90 UTC days, oldest first; SLA-true uptime, null on a day nothing was observed (all paused, pending or maintenance). */
      days: z.array(z.object({ date: z.string(), uptime: z.number().nullable(), checks: z.number().int() })),
      /**
       * Only for a monitor checked from several regions: each region's mean response time over the
       * last 24 hours (its successful checks; null when it answered none), home first.
       */
      regionLatency24h: z.array(z.object({ region: z.string(), avgResponseTimeMs: z.number().int().nullable() })).optional(),
    }),
  ),
  /** Open incidents and those of the last 14 days, newest first. */
  incidents: z.array(
    z.object({
      monitorId: z.string(),
      monitor: z.string(),
      startedAt: iso,
      resolvedAt: iso.nullable(),
      open: z.boolean(),
      /** To the end; while open, until now in whole minutes (so the data, and its ETag, change at most once a minute). */
      durationSeconds: z.number().int(),
      /** Only when the owner opted in (showReasons). */
      reason: z.string().optional(),
    }),
  ),
});
export type PublicStatus = z.infer<typeof publicStatusOutput>;
export type PublicMonitor = PublicStatus['monitors'][number];

/** What the page's own settings add for the HTTP layer (never part of the public data). */
export type LoadedPage = { data: PublicStatus; frameAncestors: string[]; pageUpdatedAt: number };

type ReadServices = Pick<Services, 'db' | 'now'>;

/**
 * Reads a page by slug in one database round trip (one batch of five reads): the page with its
 * monitors' current state and last check, their rollups over 90 days, their checks per day (summed
 * from the hourly rollups), their recent incidents, and their latency by region over 24 hours (from
 * the per-region rollups). Of the raw checks, only each monitor's newest. Null for a slug that does
 * not exist.
 */
export async function loadPublicStatus(svc: ReadServices, slug: string): Promise<LoadedPage | null> {
  const now = svc.now();
  const db = svc.db;
  const pageMonitorIds = db
    .select({ id: statusPageMonitors.monitorId })
    .from(statusPageMonitors)
    .innerJoin(statusPages, eq(statusPages.id, statusPageMonitors.pageId))
    .where(eq(statusPages.slug, slug));
  // The same ids, of the page owner's monitors only, whatever the link table says.
  const ownedMonitorIds = db
    .select({ id: monitors.id })
    .from(statusPageMonitors)
    .innerJoin(statusPages, eq(statusPages.id, statusPageMonitors.pageId))
    .innerJoin(monitors, and(eq(monitors.id, statusPageMonitors.monitorId), eq(monitors.accountId, statusPages.accountId)))
    .where(eq(statusPages.slug, slug));
  const since = now - INCIDENT_DAYS * DAY;
  const [pageRows, rollupRows, countRows, incidentRows, regionRows] = await db.batch([
    db
      .select({
        page: statusPages,
        plan: accounts.plan,
        displayName: statusPageMonitors.displayName,
        monitor: {
          id: monitors.id,
          name: monitors.name,
          url: monitors.url,
          paused: monitors.paused,
          status: monitors.status,
          accruedUntil: monitors.accruedUntil,
          statusSince: monitors.statusSince,
          regions: monitors.regions,
        },
        // Its last check: its newest `checks` row (src/db/last-check.ts).
        lastCheck: { checkedAt: newestCheck.checkedAt, reason: newestCheck.reason },
      })
      .from(statusPages)
      .innerJoin(accounts, eq(accounts.id, statusPages.accountId))
      .leftJoin(statusPageMonitors, eq(statusPageMonitors.pageId, statusPages.id))
      // The owner's monitors only, whatever the link table says.
      .leftJoin(monitors, and(eq(monitors.id, statusPageMonitors.monitorId), eq(monitors.accountId, statusPages.accountId)))
      .leftJoin(newestCheck, lastCheckOn)
      .where(eq(statusPages.slug, slug))
      .orderBy(asc(statusPageMonitors.position)),
    db
      .select(uptimeRollupColumns)
      .from(rollups)
      .where(and(inArray(rollups.monitorId, pageMonitorIds), uptimeWindow(now))),
    dayCountsQuery(db, pageMonitorIds, firstDayOf(now, BAR_DAYS)),
    db
      .select()
      .from(incidents)
      .where(
        and(
          inArray(incidents.monitorId, pageMonitorIds),
          or(isNull(incidents.resolvedAt), gte(incidents.resolvedAt, new Date(since)), gte(incidents.startedAt, new Date(since))),
        ),
      )
      .orderBy(desc(incidents.startedAt))
      .limit(500),
    regionLatencyQuery(db, ownedMonitorIds, '24h', now),
  ]);
  const page = pageRows[0]?.page;
  if (!page) return null;
  const plan = pageRows[0]!.plan;

  const shown = pageRows.flatMap((r) =>
    r.monitor ? [{ ...r.monitor, name: r.displayName ?? r.monitor.name, lastCheckedAt: r.lastCheck?.checkedAt ?? null, lastReason: r.lastCheck?.reason ?? null }] : [],
  );
  const rollupsOf = groupBy(rollupRows, (r) => r.monitorId);
  const countsOf = groupBy(countRows, (r) => r.monitorId);
  const regionsOf = groupBy(regionRows, (r) => r.monitorId);
  const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;

  const monitorsOut: PublicMonitor[] = shown.map((m) => {
    const rows = rollupsOf.get(m.id) ?? [];
    const status = statusOf(m);
    const { uptime24h, uptime30d, uptime90d } = uptimeFromRollups(rows, [m], now);
    return {
      id: m.id,
      name: m.name,
      ...(page.showUrls ? { url: m.url } : {}),
      status,
      statusSince: isoOrNull(m.statusSince),
      ...(page.showReasons && status === 'down' && m.lastReason ? { reason: m.lastReason } : {}),
      uptime24h,
      uptime30d,
      uptime90d,
      days: uptimeDays(rows, countsOf.get(m.id) ?? [], [m], now, BAR_DAYS),
      ...byRegion(severalRegionsOf(m.regions, plan), (regionsOf.get(m.id) ?? []).map(regionLatencyOf)),
    };
  });

  const names = new Map(shown.map((m) => [m.id, m.name]));
  const incidentsOut = incidentRows.map((i) => ({
    monitorId: i.monitorId,
    monitor: names.get(i.monitorId) ?? '',
    startedAt: i.startedAt.toISOString(),
    resolvedAt: isoOrNull(i.resolvedAt),
    open: i.resolvedAt === null,
    durationSeconds: i.resolvedAt
      ? Math.max(0, Math.round((i.resolvedAt.getTime() - i.startedAt.getTime()) / 1000))
      : Math.max(0, Math.floor((now - i.startedAt.getTime()) / 60_000) * 60),
    ...(page.showReasons ? { reason: i.reason } : {}),
  }));

  const status = overallStatus(monitorsOut);
  const lastCheck = Math.max(0, ...shown.map((m) => m.lastCheckedAt?.getTime() ?? 0));
  const shownIds = new Set(shown.map((m) => m.id));
  const whole = uptimeFromRollups(
    rollupRows.filter((r) => shownIds.has(r.monitorId)),
    shown,
    now,
  );
  const data: PublicStatus = {
    page: { slug: page.slug, title: page.title, description: page.description },
    status,
    summary: OVERALL_TEXT[status],
    updatedAt: lastCheck ? new Date(lastCheck).toISOString() : null,
    uptime24h: whole.uptime24h,
    uptime30d: whole.uptime30d,
    uptime90d: whole.uptime90d,
    monitors: monitorsOut,
    incidents: incidentsOut,
  };
  return {
    data,
    frameAncestors: page.frameAncestors ? page.frameAncestors.split(' ') : [],
    pageUpdatedAt: page.updatedAt.getTime(),
  };
}

/**
 * A monitor's latency by region, for one checked from several regions (`regions`, null for home
 * alone): those with figures in the window, in its order (home first). Nothing for a monitor checked
 * from one region, whatever rows an earlier setting left.
 */
function byRegion(regions: string[] | null, figures: RegionLatency[]): Pick<PublicMonitor, 'regionLatency24h'> {
  if (!regions) return {};
  const of = new Map(figures.map((f) => [f.region, f]));
  const shown = regions.flatMap((region) => {
    const f = of.get(region);
    return f ? [{ region, avgResponseTimeMs: f.avgResponseTimeMs }] : [];
  });
  return shown.length ? { regionLatency24h: shown } : {};
}

/**
 * Paused, never-checked and in-maintenance monitors say nothing about an outage; a
 * degraded one is up. Of the rest: none down is operational, all down a major outage, some down a
 * partial one.
 */
export function overallStatus(list: Pick<PublicMonitor, 'status'>[]): OverallStatus {
  const live = list.filter((m) => m.status === 'up' || m.status === 'degraded' || m.status === 'down');
  const down = live.filter((m) => m.status === 'down').length;
  if (down === 0) return 'operational';
  return down === live.length ? 'major_outage' : 'partial_outage';
}

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
