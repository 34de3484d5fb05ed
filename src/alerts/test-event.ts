import { auditStatement, type Actor } from '../audit/record.js';
import { spendInTurn } from '../db/rate-limit.js';
import { conflict, rateLimited } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { HOUR_MS, MINUTE_MS } from '../domain/time.js';
import { alertDeliveries, alertEvents } from '../db/schema.js';
import type { Services } from '../services.js';
import { getContact } from './contacts/read.js';
import { enqueueDeliveries } from './queue.js';

/**
 * How often one may ask for a test: a test posts to a URL the account chose, so without a budget
 * `contacts.test` aims traffic at any host. Enough to try a contact a few times while setting it up.
 */
export const TEST_SENDS = {
  perContact: { limit: 5, windowMs: 15 * MINUTE_MS },
  perAccount: { limit: 20, windowMs: HOUR_MS },
} as const;

/**
 * `contacts.test`: a `test` event for one contact, through the same outbox and dispatcher as real
 * alerts, within TEST_SENDS (else 429). Its delivery is tried once (src/alerts/retry.ts).
 */
export async function sendTestEvent(svc: Services, accountId: string, contactId: string, actor: Actor): Promise<string> {
  const contact = await getContact(svc, accountId, contactId);
  if (contact.status !== 'active') throw conflict('verify this contact before sending to it');
  const now = svc.now();
  const wait = await spendInTurn(
    svc.db,
    [
      { key: `contact-test:${contact.id}`, ...TEST_SENDS.perContact },
      { key: `contact-tests:${accountId}`, ...TEST_SENDS.perAccount },
    ],
    now,
  );
  if (wait !== null) throw rateLimited('too many test alerts; try again later', wait);
  const eventId = newId('evt');
  const deliveryId = newId('dlv');
  await svc.db.batch([
    svc.db.insert(alertEvents).values({
      id: eventId,
      accountId,
      type: 'test',
      data: { contact: { id: contact.id, name: contact.name }, message: 'This is a test alert from Vigil.' },
      createdAt: new Date(now),
    }),
    svc.db.insert(alertDeliveries).values({ id: deliveryId, accountId, eventId, contactId: contact.id, nextAttemptAt: now, createdAt: now }),
    auditStatement(svc, actor, { action: 'contacts.test', entity: 'contacts', entityId: contact.id }),
  ]);
  await enqueueDeliveries(svc, [deliveryId]).catch((error: unknown) => {
    svc.log.warn('alerts.enqueue_failed', { events: 1, error: error instanceof Error ? error.message.slice(0, 200) : 'error' });
  });
  return deliveryId;
}
