import { and, eq, isNull, sql } from 'drizzle-orm';
import { alertOnCertificate, alertOnDown, alertOnUp, wakeForEvents } from '../alerts/outbox.js';
import { accrueStatements } from '../db/accrual.js';
import { checks, incidents, monitors, rollups, type MonitorRow } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { bucketStart, type RollupGrain } from '../domain/time.js';
import { categoryOf } from '../domain/uptime.js';
import type { Services } from '../services.js';
import type { ProbeResult } from './probe.js';

export type Verdict = { status: 'up' | 'down' | 'degraded' | 'maintenance'; changed: boolean };

/** issue 18: what the check's verdict depends on besides the probe. */
export type RecordContext = {
  /** Inside a maintenance window: status `maintenance`, no incident opens, time excluded from uptime. */
  maintenance?: boolean;
};

/** The status a check result gives (issue 18: degraded is up but slow; maintenance overrides). */
export function statusFor(result: ProbeResult, ctx: RecordContext): Verdict['status'] {
  if (ctx.maintenance) return 'maintenance';
  if (!result.ok) return 'down';
  return result.degraded ? 'degraded' : 'up';
}

/**
 * Writes one check in one atomic batch: the check row, the monitor's current state, the incident
 * (opened on the way down, resolved on the way up) with its alerts (the outbox rows), the hourly and
 * daily rollups, and (issue 18) the time since the last check added to the rollups'
 * up/down/excluded counters; then wakes whoever delivers the alerts.
 *
 * Alerts follow the incident, never the status: degraded is up (no incident, no alert); inside a
 * maintenance window no incident opens and no monitor.down or certificate warning is sent (the
 * first check after the window sends the warning), but an incident that was open before the window
 * and closes inside it sends its monitor.up, since its monitor.down was sent; a window ending on a
 * failing target, and a heartbeat going late, open the incident here like any other failure, with
 * its monitor.down. Pausing closes the incident
 * elsewhere (src/monitors/pause.ts) and sends nothing (docs/ALERTS.md).
 */
export async function recordCheck(
  svc: Services,
  monitor: MonitorRow,
  result: ProbeResult,
  checkedAt: number,
  /** When the failure was first seen (the confirmation re-check comes later). */
  failingSince: number = checkedAt,
  ctx: RecordContext = {},
): Promise<Verdict> {
  const status = statusFor(result, ctx);
  const changed = monitor.status !== status;
  const since = changed ? new Date(status === 'down' ? failingSince : checkedAt) : monitor.statusSince;
  const at = new Date(checkedAt);
  const db = svc.db;
  // Time accounting: the stretch since the last accrual belongs to the previous status, except that
  // a monitor turning down is down from the first failure on (so downtime equals incident time).
  const accruedFrom = monitor.accruedUntil ?? monitor.statusSince?.getTime() ?? checkedAt;
  const splitAt = Math.max(accruedFrom, Math.min(since?.getTime() ?? checkedAt, checkedAt));
  const accrual = [
    ...accrueStatements(db, monitor.id, accruedFrom, splitAt, categoryOf(monitor.status, false)),
    ...accrueStatements(db, monitor.id, splitAt, checkedAt, categoryOf(status, false)),
  ];
  // A target answering again closes the open incident, also inside a maintenance window (where the
  // status stays `maintenance`); only a monitor that was down, in maintenance or pending (its URL
  // changed while down) can have one open.
  const recovered = result.ok && (monitor.status === 'down' || monitor.status === 'maintenance' || monitor.status === 'pending');

  const rollup = (grain: RollupGrain) =>
    db
      .insert(rollups)
      .values({
        monitorId: monitor.id,
        grain,
        bucketStart: bucketStart(checkedAt, grain),
        checks: 1,
        okChecks: result.ok ? 1 : 0,
        totalResponseMs: result.ok ? result.responseTimeMs : 0,
      })
      .onConflictDoUpdate({
        target: [rollups.monitorId, rollups.grain, rollups.bucketStart],
        set: {
          checks: sql`${rollups.checks} + 1`,
          okChecks: sql`${rollups.okChecks} + excluded.ok_checks`,
          totalResponseMs: sql`${rollups.totalResponseMs} + excluded.total_response_ms`,
        },
      });

  // Alerts ride in the same batch as the incident they report (src/alerts/outbox.ts). Inside a
  // maintenance window nothing opens, but a recovery still closes the loop: whoever was told
  // "down" before the window is told "up" (monitor.up is written only for an open incident).
  const opens = changed && status === 'down';
  const facts = { monitorId: monitor.id, at: checkedAt, statusCode: result.statusCode };
  const silent = status === 'maintenance';
  const alerts = opens && !silent ? alertOnDown(db, facts) : recovered ? alertOnUp(db, facts) : null;
  const cert = silent ? { statements: [], eventIds: [] } : alertOnCertificate(db, facts, result.certExpiresAt);

  // An incident opens when the monitor turns down (never inside a maintenance window: the status
  // is then `maintenance`), and closes on any successful check, also one inside a window.
  const incident = opens
    ? [
        // Deliveries are at-least-once, so the same transition can be recorded twice at once:
        // open an incident only if none is open (and the partial unique index insists).
        db.run(sql`
          INSERT INTO incidents (id, monitor_id, started_at, reason)
          SELECT ${newId('inc')}, ${monitor.id}, ${since!.getTime()}, ${result.reason ?? 'down'}
          WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE monitor_id = ${monitor.id} AND resolved_at IS NULL)`),
        ...(alerts?.statements ?? []),
      ]
    : !recovered
      ? []
      : [
          // monitor.up is written first, while the incident it resolves is still the open one.
          ...(alerts?.statements ?? []),
          db
            .update(incidents)
            .set({ resolvedAt: at, closedBy: 'recovered' })
            .where(and(eq(incidents.monitorId, monitor.id), isNull(incidents.resolvedAt))),
        ];

  await db.batch([
    db.insert(checks).values({
      monitorId: monitor.id,
      checkedAt: at,
      ok: result.ok,
      statusCode: result.statusCode,
      responseTimeMs: result.responseTimeMs,
      reason: result.reason,
    }),
    db
      .update(monitors)
      .set({
        status,
        statusSince: since,
        lastCheckedAt: at,
        lastStatusCode: result.statusCode,
        lastResponseTimeMs: result.responseTimeMs,
        lastReason: result.reason,
        ...(result.certExpiresAt ? { certExpiresAt: result.certExpiresAt } : {}),
        accruedUntil: checkedAt,
      })
      .where(eq(monitors.id, monitor.id)),
    ...incident,
    rollup('hour'),
    rollup('day'),
    ...accrual,
    ...cert.statements,
  ]);
  await wakeForEvents(svc, [...(alerts?.eventIds ?? []), ...cert.eventIds]);
  return { status, changed };
}
