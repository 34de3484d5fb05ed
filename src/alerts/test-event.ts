import { auditStatement, type Actor } from '../audit/record.js';
import { conflict } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { alertDeliveries, alertEvents } from '../db/schema.js';
import type { Services } from '../services.js';
import { getContact } from './contacts/read.js';
import { enqueueDeliveries } from './queue.js';

/** `contacts.test`: a `test` event for one contact, through the same outbox and dispatcher as real alerts. */
export async function sendTestEvent(svc: Services, accountId: string, contactId: string, actor: Actor): Promise<string> {
  const contact = await getContact(svc, accountId, contactId);
  if (contact.status !== 'active') throw conflict('verify this contact before sending to it');
  const now = svc.now();
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
