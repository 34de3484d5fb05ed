import { and, asc, eq, inArray } from 'drizzle-orm';
import { keyset, keysetOrder, type PageQuery } from '../db/keyset.js';
import { alertDeliveries, alertEvents, deliveryAttempts } from '../db/schema.js';
import type { Services } from '../services.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Newest first, on (created_at, id). */
const DELIVERIES_ORDER = keysetOrder<{ d: typeof alertDeliveries.$inferSelect; type: (typeof alertEvents.$inferSelect)['type'] }>({
  time: alertDeliveries.createdAt,
  id: alertDeliveries.id,
  direction: 'desc',
  idPattern: /^dlv_[a-z0-9]+$/,
  positionOf: (r) => [r.d.createdAt, r.d.id],
});

/** `alerts.deliveries`: the account's deliveries, newest first, each with every attempt. */
export async function listDeliveries(
  svc: Services,
  accountId: string,
  opts: PageQuery & { monitorId?: string | undefined; contactId?: string | undefined },
) {
  const page = keyset(DELIVERIES_ORDER, opts);
  const rows = await svc.db
    .select({ d: alertDeliveries, type: alertEvents.type })
    .from(alertDeliveries)
    .innerJoin(alertEvents, eq(alertEvents.id, alertDeliveries.eventId))
    .where(
      and(
        eq(alertDeliveries.accountId, accountId),
        opts.monitorId ? eq(alertDeliveries.monitorId, opts.monitorId) : undefined,
        opts.contactId ? eq(alertDeliveries.contactId, opts.contactId) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const ids = rows.slice(0, page.size).map((r) => r.d.id);
  const attempts = ids.length
    ? await svc.db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, ids)).orderBy(asc(deliveryAttempts.id))
    : [];
  return page.page(rows, ({ d, type }) => ({
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
  }));
}
