import { auditStatement, type Actor } from '../audit/record.js';
import { and, eq } from 'drizzle-orm';
import { checks, incidents, monitors, regionRollups, rollups, type MonitorRow } from '../db/schema.js';
import type { AccountRef } from '../domain/plans.js';
import type { Services } from '../services.js';
import { withMonitorLease } from './lease.js';
import { scheduleOrRefuse, scheduleSpecOf, writeOrRestoreSchedule } from './scheduling.js';

/**
 * Deletes a monitor with its history, holding its lease.
 *
 * Order: scheduler first. Undo: if removing the schedule fails, the monitor stays, whole, and the
 * caller gets a 503 to retry; if the database then fails, the schedule is recreated so the monitor
 * keeps running.
 */
export function deleteMonitor(svc: Services, account: AccountRef, id: string, actor: Actor): Promise<void> {
  return withMonitorLease(svc, account.id, id, (monitor) => applyDelete(svc, account, monitor, actor));
}

async function applyDelete(svc: Services, account: AccountRef, monitor: MonitorRow, actor: Actor): Promise<void> {
  const id = monitor.id;
  await scheduleOrRefuse(svc, (scheduler) => scheduler.remove(id), {
    event: 'monitor.schedule_delete_failed',
    monitorId: id,
    refusal: 'could not remove the schedule; the monitor was not deleted, please try again',
  });
  await writeOrRestoreSchedule(
    () =>
      svc.db.batch([
        svc.db.delete(checks).where(eq(checks.monitorId, id)),
        svc.db.delete(incidents).where(eq(incidents.monitorId, id)),
        svc.db.delete(rollups).where(eq(rollups.monitorId, id)),
        svc.db.delete(regionRollups).where(eq(regionRollups.monitorId, id)),
        svc.db.delete(monitors).where(and(eq(monitors.id, id), eq(monitors.accountId, account.id))),
        auditStatement(svc, actor, { action: 'monitors.delete', entity: 'monitors', entityId: id }),
      ]),
    () => svc.scheduler.create(scheduleSpecOf(monitor, account.plan)),
  );
}
