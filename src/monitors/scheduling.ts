import type { MonitorRow } from '../db/schema.js';
import { unavailable } from '../domain/errors.js';
import { effectiveIntervalSeconds, type PlanName } from '../domain/plans.js';
import type { ScheduleSpec } from '../scheduler/port.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { listMonitors } from './reads.js';

/** The scheduler is an AWS call: a moment later usually works. */
export const SCHEDULER_RETRY_AFTER_SECONDS = 5;

/**
 * A scheduler call a monitor change depends on. The scheduler and the database are two systems
 * written one after the other, so a change keeps them agreeing: if the call fails, `undo` puts
 * back whatever the change already wrote (nothing, when the scheduler goes first), the failure is
 * logged as `event`, and the caller gets a 503 to retry, saying `refusal`.
 */
export async function scheduleOrRefuse(
  svc: Services,
  call: (scheduler: Services['scheduler']) => Promise<void>,
  failure: { event: string; monitorId: string; refusal: string; undo?: () => Promise<unknown> },
): Promise<void> {
  try {
    await call(svc.scheduler);
  } catch (error) {
    svc.log.error(failure.event, { monitorId: failure.monitorId, ...describeError(error) });
    await failure.undo?.();
    throw unavailable(failure.refusal, SCHEDULER_RETRY_AFTER_SECONDS);
  }
}

/** The database write that follows a scheduler call: if it fails, `restore` puts the schedule back as it was, and the failure stands. */
export async function writeOrRestoreSchedule<T>(write: () => Promise<T>, restore: () => Promise<void>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    await restore().catch(() => undefined);
    throw error;
  }
}

/** What a monitor's schedule must be: the database is its source of truth. */
export function scheduleSpecOf(
  m: Pick<MonitorRow, 'id' | 'intervalSeconds' | 'paused'> & { lastCheckedAt?: Date | null },
  plan: PlanName,
): ScheduleSpec {
  return {
    monitorId: m.id,
    intervalSeconds: effectiveIntervalSeconds(m.intervalSeconds, plan),
    enabled: !m.paused,
    // Lets in-process timers resume on their phase after a restart.
    lastCheckedAt: m.lastCheckedAt?.getTime() ?? null,
  };
}

/** Brings every schedule of the account in line with its plan (after a plan change). */
export async function rescheduleAccount(svc: Services, account: { id: string; plan: PlanName }): Promise<number> {
  const { items } = await listMonitors(svc, account.id);
  for (const m of items) await svc.scheduler.update(scheduleSpecOf(m, account.plan));
  return items.length;
}
