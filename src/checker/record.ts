import { and, eq, isNull, sql } from 'drizzle-orm';
import { alertOnCertificate, alertOnDown, alertOnUp, wakeForEvents } from '../alerts/outbox.js';
import { checks, incidents, monitors, rollups } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { bucketStart, type RollupGrain } from '../domain/time.js';
import type { MonitorRow } from '../db/schema.js';
import type { Services } from '../services.js';
import type { ProbeResult } from './probe.js';

export type Verdict = { status: 'up' | 'down'; changed: boolean };

/**
 * Writes one check in one atomic batch: the check row, the monitor's current state, the incident
 * (opened on the way down, resolved on the way up) with its alerts, and the hourly and daily
 * rollups; then wakes whoever delivers the alerts.
 */
export async function recordCheck(
  svc: Services,
  monitor: MonitorRow,
  result: ProbeResult,
  checkedAt: number,
  /** When the failure was first seen (the confirmation re-check comes later). */
  failingSince: number = checkedAt,
): Promise<Verdict> {
  const status = result.ok ? 'up' : 'down';
  const changed = monitor.status !== status;
  const since = changed ? new Date(status === 'down' ? failingSince : checkedAt) : monitor.statusSince;
  const at = new Date(checkedAt);
  const db = svc.db;

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

  // Alerts ride in the same batch as the incident they report (src/alerts/outbox.ts).
  const facts = { monitorId: monitor.id, at: checkedAt, statusCode: result.statusCode };
  const alerts = !changed ? null : status === 'down' ? alertOnDown(db, facts) : alertOnUp(db, facts);
  const cert = alertOnCertificate(db, facts, result.certExpiresAt);

  const incident = !changed
    ? []
    : status === 'down'
      ? [
          // Deliveries are at-least-once, so the same transition can be recorded twice at once:
          // open an incident only if none is open (and the partial unique index insists).
          db.run(sql`
            INSERT INTO incidents (id, monitor_id, started_at, reason)
            SELECT ${newId('inc')}, ${monitor.id}, ${since!.getTime()}, ${result.reason ?? 'down'}
            WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE monitor_id = ${monitor.id} AND resolved_at IS NULL)`),
          ...alerts!.statements,
        ]
      : [
          // monitor.up is written first, while the incident it resolves is still the open one.
          ...alerts!.statements,
          db
            .update(incidents)
            .set({ resolvedAt: at })
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
      })
      .where(eq(monitors.id, monitor.id)),
    ...incident,
    rollup('hour'),
    rollup('day'),
    ...cert.statements,
  ]);
  await wakeForEvents(svc, [...(alerts?.eventIds ?? []), ...cert.eventIds]);
  return { status, changed };
}
