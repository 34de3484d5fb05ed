import { and, count, eq, getTableColumns, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { keyset, keysetOrder, type Page } from '../db/keyset.js';
import { lastCheck, lastCheckColumns, lastCheckOn, type LastCheck } from '../db/last-check.js';
import { plan, runPlan, type Plan } from '../db/plan.js';
import { monitors, type MonitorRow as StoredMonitor } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import type { Services } from '../services.js';
import type { MonitorStatus } from './wire.js';

/** A monitor as the screens and APIs show it: its row and its last check (its newest `checks` row). */
export type MonitorRow = StoredMonitor & LastCheck;

/** The columns of a MonitorRow, for a select from `monitors` joined by joinLastCheck. */
export const monitorRowColumns = { ...getTableColumns(monitors), ...lastCheckColumns };

/** Monitors as MonitorRows, in the statement that reads them: add `.where(...)`. */
export const selectMonitors = (db: Db) => db.select(monitorRowColumns).from(monitors).leftJoin(lastCheck, lastCheckOn);

/**
 * The columns partners are shown a monitor from (wire.ts toPublicMonitor), less than half of a
 * MonitorRow's: the public list reads only these, so each of its rows costs the driver and the
 * mapper less (the list is the partners' hottest request).
 */
export const partnerMonitorColumns = {
  id: monitors.id,
  name: monitors.name,
  kind: monitors.kind,
  url: monitors.url,
  method: monitors.method,
  intervalSeconds: monitors.intervalSeconds,
  tags: monitors.tags,
  paused: monitors.paused,
  status: monitors.status,
  statusSince: monitors.statusSince,
  certExpiresAt: monitors.certExpiresAt,
  alertAfterSeconds: monitors.alertAfterSeconds,
  remindEverySeconds: monitors.remindEverySeconds,
  regions: monitors.regions,
  failureQuorum: monitors.failureQuorum,
  createdAt: monitors.createdAt,
  lastCheckedAt: lastCheckColumns.lastCheckedAt,
  lastStatusCode: lastCheckColumns.lastStatusCode,
  lastResponseTimeMs: lastCheckColumns.lastResponseTimeMs,
  lastReason: lastCheckColumns.lastReason,
  lastRegions: lastCheckColumns.lastRegions,
};
export type PartnerMonitorRow = Pick<MonitorRow, keyof typeof partnerMonitorColumns>;

export type { Page };

/** The SQL condition matching the public status (paused wins over the checker's last verdict). */
function statusCondition(status: MonitorStatus): SQL {
  if (status === 'paused') return eq(monitors.paused, true);
  return and(eq(monitors.paused, false), eq(monitors.status, status))!;
}

export type MonitorQuery = {
  limit?: number;
  cursor?: string | null;
  status?: MonitorStatus;
  tag?: string | undefined;
  search?: string | undefined;
};

/** Oldest first, on (created_at, id). */
const MONITORS_ORDER = keysetOrder<Pick<MonitorRow, 'createdAt' | 'id'>>({
  time: monitors.createdAt,
  id: monitors.id,
  direction: 'asc',
  idPattern: /^mon_[a-z0-9]+$/,
  positionOf: (m) => [m.createdAt.getTime(), m.id],
});

/**
 * One query for a whole page, ordered by creation time then id; the cursor is the last row's
 * position, so pages never skip or repeat a monitor while others are added or removed.
 */
export async function listMonitors(svc: Services, accountId: string, opts: MonitorQuery = {}): Promise<Page<MonitorRow>> {
  return runPlan(svc.db, listMonitorsPlan(svc, accountId, opts));
}

/**
 * listMonitors as a plan, to batch with the caller's confirmation; `ids` selects the
 * same page's ids, for statements about those monitors in the same batch (their uptime).
 */
export function listMonitorsPlan(svc: Services, accountId: string, opts: MonitorQuery = {}): Plan<Page<MonitorRow>> & { ids: SQLWrapper } {
  const { page, where } = listPage(accountId, opts);
  const query = selectMonitors(svc.db).where(where).orderBy(...page.orderBy).limit(page.limit);
  const ids = svc.db.select({ id: monitors.id }).from(monitors).where(where).orderBy(...page.orderBy).limit(page.size);
  return { ...plan([query], ([rows]) => page.page(rows, (m) => m)), ids };
}

/** listMonitorsPlan's page (the same rows, order and cursors) with only what partners are shown of each monitor. */
export function listPartnerMonitorsPlan(svc: Services, accountId: string, opts: MonitorQuery = {}): Plan<Page<PartnerMonitorRow>> {
  const { page, where } = listPage(accountId, opts);
  const query = svc.db.select(partnerMonitorColumns).from(monitors).leftJoin(lastCheck, lastCheckOn).where(where).orderBy(...page.orderBy).limit(page.limit);
  return plan([query], ([rows]) => page.page(rows, (m) => m));
}

/** Which of the account's monitors a list page holds: the filters and the page's position. */
function listPage(accountId: string, opts: MonitorQuery) {
  const page = keyset(MONITORS_ORDER, { limit: opts.limit ?? 1000, cursor: opts.cursor });
  return { page, where: and(eq(monitors.accountId, accountId), filterCondition(opts), page.where) };
}

export type MonitorFilter = Pick<MonitorQuery, 'status' | 'tag' | 'search'>;

/**
 * The list's filters as one SQL condition (undefined when none is set): tags are a JSON array, names
 * and urls match case-insensitively. The list and the change feed (changes.ts) filter alike.
 */
export function filterCondition(opts: MonitorFilter): SQL | undefined {
  return and(
    opts.status ? statusCondition(opts.status) : undefined,
    opts.tag ? sql`EXISTS (SELECT 1 FROM json_each(${monitors.tags}) WHERE value = ${opts.tag.toLowerCase()})` : undefined,
    opts.search ? sql`(${monitors.name} LIKE ${likePattern(opts.search)} ESCAPE '\\' OR ${monitors.url} LIKE ${likePattern(opts.search)} ESCAPE '\\')` : undefined,
  );
}

/** `LIKE` pattern for a search term, with its wildcards escaped. */
function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function getMonitor(svc: Services, accountId: string, id: string): Promise<MonitorRow> {
  return runPlan(svc.db, getMonitorPlan(svc, accountId, id));
}

/** getMonitor as a plan (it throws not found when finished, before any plan batched after it); `ids` selects its id if it is the account's. */
export function getMonitorPlan(svc: Services, accountId: string, id: string): Plan<MonitorRow> & { ids: SQLWrapper } {
  const own = and(eq(monitors.id, id), eq(monitors.accountId, accountId));
  const found = plan([selectMonitors(svc.db).where(own)], ([[row]]) => {
    if (!row) throw notFound('monitor');
    return row;
  });
  return { ...found, ids: svc.db.select({ id: monitors.id }).from(monitors).where(own) };
}

export async function countMonitors(svc: Services, accountId: string): Promise<number> {
  const [row] = await svc.db.select({ n: count() }).from(monitors).where(eq(monitors.accountId, accountId));
  return row?.n ?? 0;
}
