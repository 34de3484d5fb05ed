import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alertDeliveries, alertEvents, deliveryAttempts } from '../db/schema.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import type { Services } from '../services.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** `alerts.deliveries`: the account's deliveries, newest first, each with every attempt. */
export async function listDeliveries(
  svc: Services,
  accountId: string,
  opts: { monitorId?: string | undefined; contactId?: string | undefined; limit: number; cursor?: string | null | undefined },
) {
  const after = opts.cursor ? decodeCursor(opts.cursor, /^dlv_[a-z0-9]+$/) : null;
  const rows = await svc.db
    .select({ d: alertDeliveries, type: alertEvents.type })
    .from(alertDeliveries)
    .innerJoin(alertEvents, eq(alertEvents.id, alertDeliveries.eventId))
    .where(
      and(
        eq(alertDeliveries.accountId, accountId),
        opts.monitorId ? eq(alertDeliveries.monitorId, opts.monitorId) : undefined,
        opts.contactId ? eq(alertDeliveries.contactId, opts.contactId) : undefined,
        after ? sql`(${alertDeliveries.createdAt}, ${alertDeliveries.id}) < (${after.t}, ${after.key})` : undefined,
      ),
    )
    .orderBy(desc(alertDeliveries.createdAt), desc(alertDeliveries.id))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const ids = page.map((r) => r.d.id);
  const attempts = ids.length
    ? await svc.db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, ids)).orderBy(asc(deliveryAttempts.id))
    : [];
  const last = page.at(-1);
  return {
    items: page.map(({ d, type }) => ({
      id: d.id,
      eventId: d.eventId,
      type,
      monitorId: d.monitorId,
      contactId: d.contactId,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
      lastError: d.lastError,
      deliveredAt: iso(d.deliveredAt),
      createdAt: new Date(d.createdAt).toISOString(),
      history: attempts
        .filter((a) => a.deliveryId === d.id)
        .map((a) => ({ attemptedAt: new Date(a.attemptedAt).toISOString(), statusCode: a.statusCode, response: a.response, latencyMs: a.latencyMs, error: a.error })),
    })),
    nextCursor: rows.length > opts.limit && last ? encodeCursor(last.d.createdAt, last.d.id) : null,
  };
}
