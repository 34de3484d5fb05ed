/**
 * Pausing and resuming, as an SLA reads them. Pausing a down monitor closes its incident
 * as "paused" and stops the clock (paused time is excluded from uptime); resuming starts fresh:
 * pending, a new statusSince, and an immediate check (the caller triggers it).
 */
import { and, eq, isNull } from 'drizzle-orm';
import { accrueStatements } from '../db/accrual.js';
import { incidents, type MonitorRow } from '../db/schema.js';
import { categoryOf } from '../domain/uptime.js';
import type { Services } from '../services.js';

/** The statements to run with the update that pauses: accrue the last stretch, close the incident. */
export function pauseStatements(svc: Services, before: MonitorRow, now: number) {
  return [
    ...accrueStatements(svc.db, before.id, before.accruedUntil ?? before.statusSince?.getTime() ?? now, now, categoryOf(before.status, false)),
    svc.db
      .update(incidents)
      .set({ resolvedAt: new Date(now), closedBy: 'paused' })
      .where(and(eq(incidents.monitorId, before.id), isNull(incidents.resolvedAt))),
  ];
}

/** The statements and columns for a resume: the paused stretch is excluded time; the state starts over. */
export function resumeChange(svc: Services, before: MonitorRow, now: number) {
  return {
    statements: accrueStatements(svc.db, before.id, before.accruedUntil ?? now, now, 'excluded'),
    columns: { status: 'pending' as const, statusSince: new Date(now), accruedUntil: now, lastPingAt: null, lastPingOk: null },
  };
}

/** Columns that also change with a pause: time is accounted up to now. */
export const pauseColumns = (now: number) => ({ accruedUntil: now });
