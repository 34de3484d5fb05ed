/**
 * The transactional outbox's writes. Each function returns statements for the batch that records
 * the cause (a check opening or resolving an incident), so an incident never exists without its
 * alerts. Events carry a unique key (incident + type, or certificate + threshold) and are inserted
 * with ON CONFLICT DO NOTHING: overlapping recordings of one check give one event, and the
 * deliveries, selected from the event row this batch inserted, follow it or are not written at all.
 */
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { alertDeliveries } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { DAY_MS } from '../domain/time.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { enqueueDeliveries } from './queue.js';

export const CERT_THRESHOLDS_DAYS = [1, 7, 14] as const;

export type CheckFacts = { monitorId: string; at: number; statusCode: number | null };
export type Planned = { statements: ReturnType<Db['run']>[]; eventIds: string[] };

const newDeliveryId = sql`'dlv_' || lower(hex(randomblob(12)))`;
// As the API shows a monitor: a heartbeat has no URL (null, not the empty text it is stored as).
export const monitorJson = sql`json_object('id', m.id, 'name', m.name, 'kind', m.kind, 'url', CASE WHEN m.kind = 'heartbeat' THEN NULL ELSE m.url END)`;

/**
 * One delivery per active contact the monitor alerts, for the event this batch just inserted, first
 * due when the event is (a `monitor.down` held by its monitor's alert delay waits in the outbox).
 */
export function deliveriesFor(db: Db, eventId: string, at: number) {
  return db.run(sql`
    INSERT INTO alert_deliveries (id, account_id, event_id, contact_id, monitor_id, status, attempts, next_attempt_at, created_at)
    SELECT ${newDeliveryId}, e.account_id, e.id, c.id, e.monitor_id, 'pending', 0, e.created_at, ${at}
    FROM alert_events e
    JOIN monitors m ON m.id = e.monitor_id
    JOIN json_each(m.alert_contact_ids) j
    JOIN alert_contacts c ON c.id = j.value AND c.account_id = e.account_id AND c.status = 'active'
    WHERE e.id = ${eventId}
    ON CONFLICT DO NOTHING`);
}

/**
 * `monitor.down` or `monitor.up` for the monitor's open incident: `down` after the incident insert,
 * `up` before it is resolved (it is still the open one), with when it ended and how long it lasted.
 *
 * The monitor's alert delay (`alertAfterSeconds`) is kept by the outbox alone, so no restart loses
 * it: `monitor.down` is due (its `created_at`, and its deliveries' first attempt) that long after the
 * incident started, and `monitor.up` is written only for an incident whose `monitor.down` fell due
 * by the recovery. An incident that ends inside the delay pages no one: no `monitor.up`, and the
 * dispatcher skips its held `monitor.down` (src/alerts/dispatcher.ts).
 */
function alertOnIncident(db: Db, f: CheckFacts, type: 'monitor.down' | 'monitor.up'): Planned {
  const id = newId('evt');
  const ended = type === 'monitor.up' ? sql`'resolvedAt', ${f.at}, 'durationSeconds', (${f.at} - i.started_at) / 1000,` : sql``;
  const due = type === 'monitor.down' ? sql`max(${f.at}, i.started_at + m.alert_after_seconds * 1000)` : sql`${f.at}`;
  const paged =
    type === 'monitor.up'
      ? sql`AND EXISTS (SELECT 1 FROM alert_events d WHERE d.incident_id = i.id AND d.type = 'monitor.down' AND d.created_at <= ${f.at})`
      : sql``;
  return {
    eventIds: [id],
    statements: [
      db.run(sql`
        INSERT INTO alert_events (id, account_id, type, monitor_id, incident_id, data, created_at)
        SELECT ${id}, m.account_id, ${type}, m.id, i.id,
          json_object('monitor', ${monitorJson}, 'incidentId', i.id, 'startedAt', i.started_at, ${ended}
            'reason', i.reason, 'statusCode', ${f.statusCode}),
          ${due}
        FROM incidents i JOIN monitors m ON m.id = i.monitor_id
        WHERE i.monitor_id = ${f.monitorId} AND i.resolved_at IS NULL ${paged}
        ON CONFLICT DO NOTHING`),
      deliveriesFor(db, id, f.at),
    ],
  };
}

/** After the incident insert: `monitor.down` for the monitor's open incident. */
export const alertOnDown = (db: Db, f: CheckFacts): Planned => alertOnIncident(db, f, 'monitor.down');

/** Before the incident is resolved (it is still the open one): `monitor.up` with its duration. */
export const alertOnUp = (db: Db, f: CheckFacts): Planned => alertOnIncident(db, f, 'monitor.up');

/** The tightest threshold (1, 7 or 14 days) the certificate is within, or null. */
export function certThreshold(certExpiresAt: number, at: number): number | null {
  const left = certExpiresAt - at;
  if (left <= 0) return null;
  return CERT_THRESHOLDS_DAYS.find((t) => left <= t * DAY_MS) ?? null;
}

/** `certificate.expiring`, once per threshold per certificate (its expiry identifies it). */
export function alertOnCertificate(db: Db, f: CheckFacts, certExpiresAt: Date | null): Planned {
  const threshold = certExpiresAt ? certThreshold(certExpiresAt.getTime(), f.at) : null;
  if (!certExpiresAt || threshold === null) return { eventIds: [], statements: [] };
  const id = newId('evt');
  const expires = certExpiresAt.getTime();
  return {
    eventIds: [id],
    statements: [
      db.run(sql`
        INSERT INTO alert_events (id, account_id, type, monitor_id, cert_expires_at, threshold_days, data, created_at)
        SELECT ${id}, m.account_id, 'certificate.expiring', m.id, ${expires}, ${threshold},
          json_object('monitor', ${monitorJson}, 'certExpiresAt', ${expires}, 'thresholdDays', ${threshold},
            'daysLeft', ${Math.ceil((expires - f.at) / DAY_MS)}),
          ${f.at}
        FROM monitors m WHERE m.id = ${f.monitorId}
        ON CONFLICT DO NOTHING`),
      deliveriesFor(db, id, f.at),
    ],
  };
}

/**
 * After the batch committed: wakes the dispatcher (in-process) or the notifier (SQS) for the new
 * deliveries. A failure here loses nothing — the rows are the truth and the sweep finds them.
 */
export async function wakeForEvents(svc: Pick<Services, 'db' | 'alerts' | 'log' | 'now'>, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  try {
    await enqueueDeliveries(svc, async () => {
      const rows = await svc.db.select({ id: alertDeliveries.id }).from(alertDeliveries).where(inArray(alertDeliveries.eventId, eventIds));
      return rows.map((r) => r.id);
    });
  } catch (error) {
    svc.log.warn('alerts.enqueue_failed', { events: eventIds.length, ...describeError(error) });
  }
}
