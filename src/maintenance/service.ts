import { auditStatement, type Actor } from '../audit/record.js';
import { and, eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { insertWithinLimitStatement, limitRefusal, type Quota } from '../db/insert-within-limit.js';
import { keyset, keysetOrder, type Page, type PageQuery } from '../db/keyset.js';
import { plan, runPlan, type Plan } from '../db/plan.js';
import { maintenanceWindows, monitors } from '../db/schema.js';
import { badInput, limitReached, notFound } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Services } from '../services.js';
import { activeOccurrence, type WindowTimes } from './schedule.js';
import type { MaintenanceInput, MaintenanceOutput } from './schemas.js';

type WindowRow = typeof maintenanceWindows.$inferSelect;

/** A window applies to every monitor of its account (monitorIds null) or to the listed ones. */
const covers = (monitorIds: SQLWrapper, monitorId: string | SQLWrapper) =>
  sql`(${monitorIds} IS NULL OR EXISTS (SELECT 1 FROM json_each(${monitorIds}) WHERE value = ${monitorId}))`;

/** Enough for any real calendar; keeps the per-check lookup a handful of rows. */
export const MAX_WINDOWS_PER_ACCOUNT = 50;

type WindowTimesRow = Pick<WindowRow, 'kind' | 'startsAt' | 'endsAt' | 'weekday' | 'startTime' | 'durationMinutes' | 'timeZone'>;

function timesOf(w: WindowTimesRow): WindowTimes {
  return w.kind === 'once'
    ? { kind: 'once', startsAt: w.startsAt!, endsAt: w.endsAt! }
    : { kind: 'weekly', weekday: w.weekday!, startTime: w.startTime!, durationMinutes: w.durationMinutes!, timeZone: w.timeZone! };
}

const idsOf = (w: WindowRow): string[] | 'all' => (w.monitorIds === null ? 'all' : (JSON.parse(w.monitorIds) as string[]));

export function toMaintenanceOutput(w: WindowRow, now: number): MaintenanceOutput {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: w.id,
    name: w.name,
    monitorIds: idsOf(w),
    kind: w.kind,
    startsAt: iso(w.startsAt),
    endsAt: iso(w.endsAt),
    weekday: w.weekday,
    startTime: w.startTime,
    durationMinutes: w.durationMinutes,
    timeZone: w.timeZone,
    activeNow: activeOccurrence(timesOf(w), now) !== null,
    createdAt: w.createdAt.toISOString(),
  };
}

/** The columns of a window, from the API's input; listed monitors must be the account's own. */
async function columnsOf(svc: Services, accountId: string, input: MaintenanceInput) {
  if (input.monitorIds !== 'all') {
    const ids = [...new Set(input.monitorIds)];
    const mine = await svc.db
      .select({ id: monitors.id })
      .from(monitors)
      .where(and(eq(monitors.accountId, accountId), inArray(monitors.id, ids)));
    if (mine.length !== ids.length) throw badInput('monitorIds', 'every monitor must exist and be yours');
  }
  const base = { name: input.name, monitorIds: input.monitorIds === 'all' ? null : JSON.stringify([...new Set(input.monitorIds)]) };
  const none = { startsAt: null, endsAt: null, weekday: null, startTime: null, durationMinutes: null, timeZone: null };
  if ('startsAt' in input) {
    return { ...base, ...none, kind: 'once' as const, startsAt: Date.parse(input.startsAt), endsAt: Date.parse(input.endsAt) };
  }
  const { weekday, startTime, durationMinutes, timeZone } = input;
  return { ...base, ...none, kind: 'weekly' as const, weekday, startTime, durationMinutes, timeZone };
}

/**
 * The account's limit is enforced by the insert itself (insertWithinLimitStatement): a count read
 * first and an insert after it let a burst against a remote database overshoot the limit.
 */
export async function createWindow(svc: Services, accountId: string, input: MaintenanceInput, actor: Actor): Promise<WindowRow> {
  const columns = await columnsOf(svc, accountId, input);
  const id = newId('mnt');
  const quota: Quota = {
    counted: eq(maintenanceWindows.accountId, accountId),
    limit: MAX_WINDOWS_PER_ACCOUNT,
    refuse: (current) =>
      limitReached(`at most ${MAX_WINDOWS_PER_ACCOUNT} maintenance windows per account; delete an old one`, {
        plan: 'any',
        limit: MAX_WINDOWS_PER_ACCOUNT,
        current,
      }),
  };
  const [inserted] = await svc.db.batch([
    svc.db.run(insertWithinLimitStatement(maintenanceWindows, { id, accountId, ...columns, createdAt: new Date(svc.now()) }, quota)),
    auditStatement(svc, actor, { action: 'maintenance.create', entity: 'maintenance', entityId: id, changes: windowChanges(columns) }, sql`changes() = 1`),
  ]);
  if (inserted.rowsAffected !== 1) throw await limitRefusal(svc.db, maintenanceWindows, quota);
  return getWindow(svc, accountId, id);
}

export async function getWindow(svc: Services, accountId: string, id: string): Promise<WindowRow> {
  const row = await svc.db.query.maintenanceWindows.findFirst({
    where: and(eq(maintenanceWindows.id, id), eq(maintenanceWindows.accountId, accountId)),
  });
  if (!row) throw notFound('maintenance window');
  return row;
}

export async function updateWindow(svc: Services, accountId: string, id: string, input: MaintenanceInput, actor: Actor): Promise<WindowRow> {
  await getWindow(svc, accountId, id);
  const columns = await columnsOf(svc, accountId, input);
  await svc.db.batch([
    svc.db
      .update(maintenanceWindows)
      .set(columns)
      .where(and(eq(maintenanceWindows.id, id), eq(maintenanceWindows.accountId, accountId))),
    auditStatement(svc, actor, { action: 'maintenance.update', entity: 'maintenance', entityId: id, changes: windowChanges(columns) }, sql`changes() = 1`),
  ]);
  return getWindow(svc, accountId, id);
}

export async function deleteWindow(svc: Services, accountId: string, id: string, actor: Actor): Promise<void> {
  await getWindow(svc, accountId, id);
  await svc.db.batch([
    svc.db.delete(maintenanceWindows).where(and(eq(maintenanceWindows.id, id), eq(maintenanceWindows.accountId, accountId))),
    auditStatement(svc, actor, { action: 'maintenance.delete', entity: 'maintenance', entityId: id }, sql`changes() = 1`),
  ]);
}

/** What the audit row says of a window: when it silences what (an editor can silence every alert for a week). */
function windowChanges(columns: Awaited<ReturnType<typeof columnsOf>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== null && v !== undefined));
}

/** Oldest first, on (created_at, id), like the monitors. */
const WINDOWS_ORDER = keysetOrder<WindowRow>({
  time: maintenanceWindows.createdAt,
  id: maintenanceWindows.id,
  direction: 'asc',
  idPattern: /^mnt_[a-z0-9]+$/,
  positionOf: (w) => [w.createdAt.getTime(), w.id],
});

export async function listWindows(svc: Services, accountId: string, opts: WindowsQuery): Promise<Page<WindowRow>> {
  return runPlan(svc.db, listWindowsPlan(svc, accountId, opts));
}

type WindowsQuery = PageQuery & { monitorId?: string | undefined };

/** listWindows as a plan, to batch with the statements that confirm the caller. */
export function listWindowsPlan(svc: Services, accountId: string, { monitorId, ...query }: WindowsQuery): Plan<Page<WindowRow>> {
  const page = keyset(WINDOWS_ORDER, query);
  const rows = svc.db
    .select()
    .from(maintenanceWindows)
    .where(and(eq(maintenanceWindows.accountId, accountId), monitorId ? covers(maintenanceWindows.monitorIds, monitorId) : undefined, page.where))
    .orderBy(...page.orderBy)
    .limit(page.limit);
  return plan([rows], ([found]) => page.page(found, (w) => w));
}

/**
 * The windows of the monitor's account that cover it, as one JSON array of their times: a scalar
 * subquery the checker selects with the monitor itself, from `monitors` (one statement per check,
 * src/checker/run.ts). Its columns are qualified by hand: drizzle leaves a one-table select's unqualified.
 */
export function coveringWindows(): SQL<string> {
  return sql<string>`(SELECT json_group_array(json_object('kind', w.kind, 'startsAt', w.starts_at, 'endsAt', w.ends_at,
    'weekday', w.weekday, 'startTime', w.start_time, 'durationMinutes', w.duration_minutes, 'timeZone', w.time_zone))
    FROM ${maintenanceWindows} w WHERE w.account_id = monitors.account_id AND ${covers(sql.raw('w.monitor_ids'), sql.raw('monitors.id'))})`;
}

/** True while one of the windows (coveringWindows' JSON) is in force. */
export function inMaintenance(windowsJson: string, now: number): boolean {
  if (windowsJson === '[]') return false;
  return (JSON.parse(windowsJson) as WindowTimesRow[]).some((w) => activeOccurrence(timesOf(w), now) !== null);
}
