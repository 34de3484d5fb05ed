import { monitorChanges } from '../audit/redact.js';
import { auditStatement, type Actor } from '../audit/record.js';
import { and, eq } from 'drizzle-orm';
import { alertContactIdsFor } from '../alerts/monitor-contacts.js';
import { monitors, type MonitorRow } from '../db/schema.js';
import { unavailable } from '../domain/errors.js';
import type { AccountRef } from '../domain/plans.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { withMonitorLease } from './lease.js';
import { getMonitor } from './reads.js';
import { assertIntervalAllowed, assertKeywordReadable, assertUrlAllowed } from './rules.js';
import type { UpdateMonitorInput } from './schemas.js';
import { requestImmediateCheck } from './immediate-check.js';
import { SCHEDULER_RETRY_AFTER_SECONDS, scheduleSpecOf } from './scheduling.js';

/**
 * Changes a monitor's settings, holding its lease.
 *
 * Order: scheduler first (only when the schedule must change), then the database. Undo: if the
 * scheduler fails nothing was changed (503); if the database then fails, the old schedule is put
 * back, so both keep the old state.
 */
export function updateMonitor(svc: Services, account: AccountRef, input: UpdateMonitorInput, actor: Actor): Promise<MonitorRow> {
  return withMonitorLease(svc, account.id, input.id, () => applyUpdate(svc, account, input, actor));
}

async function applyUpdate(svc: Services, account: AccountRef, input: UpdateMonitorInput, actor: Actor): Promise<MonitorRow> {
  const { id, ...patch } = input;
  const before = await getMonitor(svc, account.id, id);
  if (patch.intervalSeconds !== undefined) assertIntervalAllowed(account.plan, patch.intervalSeconds);
  if (patch.alertContactIds) patch.alertContactIds = await alertContactIdsFor(svc, account.id, patch.alertContactIds);
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
    await svc.db.batch([
      svc.db
        .update(monitors)
        .set({ ...definedOnly(patch), ...resetState, updatedAt: new Date(svc.now()) })
        .where(and(eq(monitors.id, id), eq(monitors.accountId, account.id))),
      auditStatement(svc, actor, { action: 'monitors.update', entity: 'monitors', entityId: id, changes: monitorChanges(definedOnly(patch)) }),
    ]);
  } catch (error) {
    if (scheduleChanged) await svc.scheduler.update(oldSpec).catch(() => undefined);
    throw error;
  }
  if ((urlChanged || (before.paused && patch.paused === false)) && !after.paused) await requestImmediateCheck(svc, account, after);
  return getMonitor(svc, account.id, id);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
