import type { MonitorRow } from '../db/schema.js';
import { effectiveIntervalSeconds, type PlanName } from '../domain/plans.js';
import type { ScheduleSpec } from '../scheduler/port.js';
import type { Services } from '../services.js';
import { listMonitors } from './reads.js';

/** The scheduler is an AWS call: a moment later usually works. */
export const SCHEDULER_RETRY_AFTER_SECONDS = 5;

/** What a monitor's schedule must be: the database is its source of truth. */
export function scheduleSpecOf(
  m: Pick<MonitorRow, 'id' | 'intervalSeconds' | 'paused'> & { lastCheckedAt?: Date | null },
  plan: PlanName,
): ScheduleSpec {
  return {
    monitorId: m.id,
    intervalSeconds: effectiveIntervalSeconds(m.intervalSeconds, plan),
    enabled: !m.paused,
    // issue 18: lets in-process timers resume on their phase after a restart.
    lastCheckedAt: m.lastCheckedAt?.getTime() ?? null,
  };
}

/** Brings every schedule of the account in line with its plan (after a plan change). */
export async function rescheduleAccount(svc: Services, account: { id: string; plan: PlanName }): Promise<number> {
  const { items } = await listMonitors(svc, account.id);
  for (const m of items) await svc.scheduler.update(scheduleSpecOf(m, account.plan));
  return items.length;
}
