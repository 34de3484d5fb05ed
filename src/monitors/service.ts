import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { checks, incidents, monitors, rollups, type PlanName } from '../db/schema.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { badInput, limitReached, notFound, unavailable } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { effectiveIntervalSeconds, limitsOf } from '../domain/plans.js';
import { DEFAULT_EXPECTED_STATUS } from '../domain/status-codes.js';
import { describeError } from '../log.js';
import type { ScheduleSpec } from '../scheduler/port.js';
import type { Services } from '../services.js';
import { assertPublicUrl } from '../checker/ssrf.js';
import { requestImmediateCheck } from './immediate-check.js';
import { withMonitorLease } from './lease.js';
import type { CreateMonitorInput, MonitorStatus, UpdateMonitorInput } from './schemas.js';

/** The scheduler is an AWS call: a moment later usually works. */
const SCHEDULER_RETRY_AFTER_SECONDS = 5;

export type MonitorRow = typeof monitors.$inferSelect;
/** The caller's account, as every monitor operation is scoped to it. */
export type AccountRef = { id: string; plan: PlanName };

export function scheduleSpecOf(m: Pick<MonitorRow, 'id' | 'intervalSeconds' | 'paused'>, plan: PlanName): ScheduleSpec {
  return { monitorId: m.id, intervalSeconds: effectiveIntervalSeconds(m.intervalSeconds, plan), enabled: !m.paused };
}

export function statusOf(m: Pick<MonitorRow, 'paused' | 'status'>): MonitorStatus {
  return m.paused ? 'paused' : m.status;
}

/** The SQL condition matching the public status (paused wins over the checker's last verdict). */
function statusCondition(status: MonitorStatus): SQL {
  if (status === 'paused') return eq(monitors.paused, true);
  return and(eq(monitors.paused, false), eq(monitors.status, status))!;
}

export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * One query for a whole page, ordered by creation time then id; the cursor is the last row's
 * position, so pages never skip or repeat a monitor while others are added or removed.
 */
export async function listMonitors(
  svc: Services,
  accountId: string,
  opts: { limit?: number; cursor?: string | null; status?: MonitorStatus } = {},
): Promise<Page<MonitorRow>> {
  const limit = opts.limit ?? 1000;
  const after = opts.cursor ? decodeCursor(opts.cursor, /^mon_[a-z0-9]+$/) : null;
  const rows = await svc.db
    .select()
    .from(monitors)
    .where(
      and(
        eq(monitors.accountId, accountId),
        opts.status ? statusCondition(opts.status) : undefined,
        after
          ? sql`(${monitors.createdAt}, ${monitors.id}) > (${after.t}, ${after.key})`
          : undefined,
      ),
    )
    .orderBy(asc(monitors.createdAt), asc(monitors.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt.getTime(), last.id) : null,
  };
}

export async function getMonitor(svc: Services, accountId: string, id: string): Promise<MonitorRow> {
  const row = await svc.db.query.monitors.findFirst({
    where: and(eq(monitors.id, id), eq(monitors.accountId, accountId)),
  });
  if (!row) throw notFound('monitor');
  return row;
}

export async function countMonitors(svc: Services, accountId: string): Promise<number> {
  const [row] = await svc.db.select({ n: count() }).from(monitors).where(eq(monitors.accountId, accountId));
  return row?.n ?? 0;
}

/**
 * Creates the monitor and its schedule, or neither. The plan's monitor limit is enforced by the
 * insert itself (INSERT … SELECT … WHERE count < limit), so parallel creates cannot overshoot it.
 */
export async function createMonitor(svc: Services, account: AccountRef, input: CreateMonitorInput): Promise<MonitorRow> {
  const limits = limitsOf(account.plan);
  const intervalSeconds = input.intervalSeconds ?? limits.minIntervalSeconds;
  assertIntervalAllowed(account.plan, intervalSeconds);
  assertKeywordReadable(input.method, input.keyword ?? null);
  await assertUrlAllowed(svc, input.url);

  const id = newId('mon');
  const now = svc.now();
  const inserted = await svc.db.run(sql`
    INSERT INTO monitors (id, account_id, name, url, method, interval_seconds, timeout_ms,
      expected_status_codes, keyword, paused, status, status_since, created_at, updated_at)
    SELECT ${id}, ${account.id}, ${input.name}, ${input.url}, ${input.method}, ${intervalSeconds},
      ${input.timeoutMs}, ${input.expectedStatusCodes ?? DEFAULT_EXPECTED_STATUS}, ${input.keyword ?? null},
      ${input.paused ? 1 : 0}, 'pending', ${now}, ${now}, ${now}
    WHERE (SELECT count(*) FROM monitors WHERE account_id = ${account.id}) < ${limits.maxMonitors}`);
  if (inserted.rowsAffected !== 1) {
    const have = await countMonitors(svc, account.id);
    throw limitReached(
      `${limits.label} plan allows ${limits.maxMonitors} monitors; you have ${have}. Delete a monitor or upgrade your plan.`,
      { plan: account.plan, limit: limits.maxMonitors, current: have },
    );
  }
  const monitor = await getMonitor(svc, account.id, id);

  try {
    await svc.scheduler.create(scheduleSpecOf(monitor, account.plan));
  } catch (error) {
    // Nothing half-made survives: without its schedule the monitor would silently never run.
    svc.log.error('monitor.schedule_create_failed', { monitorId: id, ...describeError(error) });
    await svc.db.delete(monitors).where(eq(monitors.id, id));
    throw unavailable('could not schedule checks for this monitor; nothing was created, please try again', SCHEDULER_RETRY_AFTER_SECONDS);
  }
  if (!monitor.paused) await requestImmediateCheck(svc, account, monitor);
  return monitor;
}

/**
 * Changes settings. When the schedule must change, the scheduler goes first and the database
 * second; if the database then fails, the schedule is put back, so both keep the old state.
 */
export function updateMonitor(svc: Services, account: AccountRef, input: UpdateMonitorInput): Promise<MonitorRow> {
  return withMonitorLease(svc, account.id, input.id, () => applyUpdate(svc, account, input));
}

async function applyUpdate(svc: Services, account: AccountRef, input: UpdateMonitorInput): Promise<MonitorRow> {
  const { id, ...patch } = input;
  const before = await getMonitor(svc, account.id, id);
  if (patch.intervalSeconds !== undefined) assertIntervalAllowed(account.plan, patch.intervalSeconds);
  const urlChanged = patch.url !== undefined && patch.url !== before.url;
  if (urlChanged) await assertUrlAllowed(svc, patch.url!);

  const after = { ...before, ...definedOnly(patch) };
  assertKeywordReadable(after.method, after.keyword);
  const oldSpec = scheduleSpecOf(before, account.plan);
  const newSpec = scheduleSpecOf(after, account.plan);
  const scheduleChanged = oldSpec.intervalSeconds !== newSpec.intervalSeconds || oldSpec.enabled !== newSpec.enabled;
  // A new target makes the last verdict meaningless: start again from pending.
  const resetState = urlChanged ? { status: 'pending' as const, statusSince: new Date(svc.now()) } : {};

  if (scheduleChanged) {
    try {
      await svc.scheduler.update(newSpec);
    } catch (error) {
      svc.log.error('monitor.schedule_update_failed', { monitorId: id, ...describeError(error) });
      throw unavailable('could not update the schedule; nothing was changed, please try again', SCHEDULER_RETRY_AFTER_SECONDS);
    }
  }
  try {
    await svc.db
      .update(monitors)
      .set({ ...definedOnly(patch), ...resetState, updatedAt: new Date(svc.now()) })
      .where(and(eq(monitors.id, id), eq(monitors.accountId, account.id)));
  } catch (error) {
    if (scheduleChanged) await svc.scheduler.update(oldSpec).catch(() => undefined);
    throw error;
  }
  if ((urlChanged || (before.paused && patch.paused === false)) && !after.paused) await requestImmediateCheck(svc, account, after);
  return getMonitor(svc, account.id, id);
}

/**
 * Deletes the schedule first: if that fails the monitor stays, whole, and the caller is told. If
 * the database then fails, the schedule is recreated so the monitor keeps running.
 */
export function deleteMonitor(svc: Services, account: AccountRef, id: string): Promise<void> {
  return withMonitorLease(svc, account.id, id, () => applyDelete(svc, account, id));
}

async function applyDelete(svc: Services, account: AccountRef, id: string): Promise<void> {
  const monitor = await getMonitor(svc, account.id, id);
  try {
    await svc.scheduler.remove(id);
  } catch (error) {
    svc.log.error('monitor.schedule_delete_failed', { monitorId: id, ...describeError(error) });
    throw unavailable('could not remove the schedule; the monitor was not deleted, please try again', SCHEDULER_RETRY_AFTER_SECONDS);
  }
  try {
    await svc.db.batch([
      svc.db.delete(checks).where(eq(checks.monitorId, id)),
      svc.db.delete(incidents).where(eq(incidents.monitorId, id)),
      svc.db.delete(rollups).where(eq(rollups.monitorId, id)),
      svc.db.delete(monitors).where(and(eq(monitors.id, id), eq(monitors.accountId, account.id))),
    ]);
  } catch (error) {
    await svc.scheduler.create(scheduleSpecOf(monitor, account.plan)).catch(() => undefined);
    throw error;
  }
}

/** Brings every schedule of the account in line with its plan (after a plan change). */
export async function rescheduleAccount(svc: Services, account: AccountRef): Promise<number> {
  const { items } = await listMonitors(svc, account.id);
  for (const m of items) await svc.scheduler.update(scheduleSpecOf(m, account.plan));
  return items.length;
}

export async function monitorsByIds(svc: Services, ids: string[]): Promise<MonitorRow[]> {
  if (ids.length === 0) return [];
  return svc.db.select().from(monitors).where(inArray(monitors.id, ids));
}

function assertIntervalAllowed(plan: PlanName, intervalSeconds: number): void {
  const limits = limitsOf(plan);
  if (intervalSeconds < limits.minIntervalSeconds) {
    throw limitReached(
      `${limits.label} plan checks every ${limits.minIntervalSeconds / 60} minutes at the shortest; intervalSeconds must be at least ${limits.minIntervalSeconds}. Upgrade for 1-minute checks.`,
      { plan, limit: limits.minIntervalSeconds, current: intervalSeconds },
    );
  }
}

/** A HEAD response has no body, so a keyword could never be found: refuse the pair up front. */
function assertKeywordReadable(method: MonitorRow['method'], keyword: string | null): void {
  if (method === 'HEAD' && keyword) {
    throw badInput('keyword', 'a HEAD request returns no body to search; use GET or remove the keyword');
  }
}

async function assertUrlAllowed(svc: Services, url: string): Promise<void> {
  const problem = await assertPublicUrl(url, svc.config.allowPrivateTargets);
  if (problem) throw badInput('url', problem);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
