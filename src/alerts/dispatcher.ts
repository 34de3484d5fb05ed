/**
 * Sends due deliveries and records every attempt. A delivery is claimed with a conditional UPDATE
 * (a lease), so two dispatchers — two notifier Lambdas, or the local timer and a wake-up — never
 * send one delivery twice at once. Every time decision reads svc.now().
 */
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { alertContacts, alertDeliveries, alertEvents, deliveryAttempts } from '../db/schema.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import type { AlertEvent } from './payloads.js';
import { isRetried, nextAttemptAt } from './retry.js';
import { sendDelivery, SEND_TIMEOUT_MS, skipped, type SendResult } from './send.js';

/**
 * A `monitor.down` not tried yet whose incident has closed without a `monitor.up` is news to no
 * one: the incident ended inside its monitor's alert delay (src/alerts/outbox.ts), or the monitor
 * was paused or deleted. It is skipped, never sent.
 */
const endedUnpaged = sql<number>`(${alertEvents.type} = 'monitor.down' AND ${alertDeliveries.attempts} = 0
  AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = ${alertEvents.incidentId} AND i.resolved_at IS NULL)
  AND NOT EXISTS (SELECT 1 FROM alert_events u WHERE u.incident_id = ${alertEvents.incidentId} AND u.type = 'monitor.up'))`.mapWith(Boolean);

/** Longer than one send can take, so a lease only lapses when its dispatcher died. */
export const LEASE_MS = 6 * SEND_TIMEOUT_MS;
const BATCH = 25;

/** Claims up to `limit` due deliveries (only among `ids` when given); returns what this caller now holds. */
export async function claimDue(svc: Services, opts: { ids?: string[]; limit?: number } = {}) {
  const now = svc.now();
  const token = randomBytes(12).toString('base64url');
  const only = opts.ids ? sql`AND id IN (${sql.join(opts.ids.map((id) => sql`${id}`), sql`, `)})` : sql``;
  if (opts.ids?.length === 0) return { token, ids: [] };
  const rows = await svc.db.all<{ id: string }>(sql`
    UPDATE alert_deliveries SET lease_token = ${token}, lease_until = ${now + LEASE_MS}
    WHERE id IN (
      SELECT id FROM alert_deliveries
      WHERE status = 'pending' AND next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until <= ${now}) ${only}
      ORDER BY next_attempt_at LIMIT ${opts.limit ?? BATCH})
    AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ${now})
    RETURNING id`);
  return { token, ids: rows.map((r) => r.id) };
}

/** A row when any delivery is due: a read, so an idle poll never takes the database's write lock; batchable. */
export function dueDeliveryProbe(svc: Pick<Services, 'db' | 'now'>) {
  const now = svc.now();
  return svc.db.all(sql`
    SELECT 1 FROM alert_deliveries
    WHERE status = 'pending' AND next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until <= ${now}) LIMIT 1`);
}

async function anyDue(svc: Services): Promise<boolean> {
  return (await dueDeliveryProbe(svc)).length > 0;
}

/** Sends every due delivery, batch after batch, until none is left. Returns how many were attempted. */
export async function dispatchDue(svc: Services): Promise<number> {
  let total = 0;
  for (;;) {
    if (!(await anyDue(svc))) return total;
    const { token, ids } = await claimDue(svc);
    if (ids.length === 0) return total;
    await attemptAll(svc, ids, token);
    total += ids.length;
  }
}

/** The notifier's unit of work: the given deliveries, if they are still due and nobody holds them. */
export async function dispatchIds(svc: Services, ids: string[]): Promise<number> {
  const { token, ids: claimed } = await claimDue(svc, { ids, limit: ids.length });
  await attemptAll(svc, claimed, token);
  return claimed.length;
}

/**
 * One read for the claimed batch, the sends in parallel, then one batched write of every attempt
 * and outcome: the database sees three round trips per batch, not three per delivery.
 */
async function attemptAll(svc: Services, ids: string[], token: string): Promise<void> {
  if (ids.length === 0) return;
  const rows = await svc.db
    .select({ delivery: alertDeliveries, event: alertEvents, contact: alertContacts, unpaged: endedUnpaged })
    .from(alertDeliveries)
    .innerJoin(alertEvents, eq(alertEvents.id, alertDeliveries.eventId))
    .leftJoin(alertContacts, eq(alertContacts.id, alertDeliveries.contactId))
    .where(inArray(alertDeliveries.id, ids));
  const done = await Promise.all(
    rows.map(async (row) => {
      const startedAt = svc.now();
      // A contact deleted or put back to pending (new email address) since the event gets nothing.
      const result: SendResult = row.unpaged
        ? skipped('the incident ended before this alert was due (alert delay), or its monitor was paused or deleted')
        : row.contact && row.contact.status === 'active'
          ? await sendDelivery(svc, row.event as AlertEvent, row.contact)
          : { ok: false, statusCode: null, response: null, error: 'contact is no longer active', permanent: true, latencyMs: 0 };
      return { row, startedAt, result };
    }),
  );
  const now = svc.now();
  const writes: BatchItem<'sqlite'>[] = done.flatMap(({ row, startedAt, result }) =>
    outcomeStatements(svc, row.delivery, row.event, token, startedAt, now, result),
  );
  if (writes.length) await svc.db.batch(writes as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  for (const { row, result } of done) {
    svc.log.info('alert.attempt', {
      deliveryId: row.delivery.id,
      eventId: row.event.id,
      type: row.event.type,
      kind: row.contact?.kind,
      ok: result.ok,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      error: result.error,
    });
  }
}

function outcomeStatements(
  svc: Services,
  delivery: typeof alertDeliveries.$inferSelect,
  event: Pick<typeof alertEvents.$inferSelect, 'type' | 'createdAt'>,
  token: string,
  startedAt: number,
  now: number,
  result: SendResult,
) {
  // A skip is no attempt: nothing was sent, and the reason stands as the delivery's last word.
  const attempts = result.skipped ? delivery.attempts : delivery.attempts + 1;
  const retryAt = result.ok || result.permanent || !isRetried(event.type) ? null : nextAttemptAt(attempts, now, event.createdAt.getTime());
  const outcome = result.skipped
    ? { status: 'skipped' as const }
    : result.ok
      ? { status: 'delivered' as const, deliveredAt: now }
      : retryAt === null
        ? { status: 'failed' as const }
        : { status: 'pending' as const, nextAttemptAt: retryAt };
  return [
    ...(result.skipped
      ? []
      : [
          svc.db.insert(deliveryAttempts).values({
            deliveryId: delivery.id,
            attemptedAt: startedAt,
            statusCode: result.statusCode,
            response: result.response,
            latencyMs: result.latencyMs,
            error: result.error,
          }),
        ]),
    // Only while this dispatcher still holds the lease: a lapsed lease means another has taken over.
    svc.db
      .update(alertDeliveries)
      .set({ ...outcome, attempts, lastError: result.error, leaseToken: null, leaseUntil: null })
      .where(and(eq(alertDeliveries.id, delivery.id), eq(alertDeliveries.leaseToken, token))),
  ];
}

/** For logs of a dispatcher loop that failed as a whole (database down): the rows wait for the next run. */
export function logDispatchFailure(svc: Pick<Services, 'log'>, error: unknown): void {
  svc.log.error('alerts.dispatch_failed', describeError(error));
}
