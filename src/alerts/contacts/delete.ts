import { and, eq, sql } from 'drizzle-orm';
import { auditStatement, type Actor } from '../../audit/record.js';
import { alertContacts, alertDeliveries, monitors } from '../../db/schema.js';
import type { Services } from '../../services.js';
import { getContact } from './read.js';

/** Removes the contact, takes it off every monitor, and ends its pending deliveries, in one batch with its audit row. */
export async function deleteContact(svc: Services, accountId: string, id: string, actor: Actor): Promise<void> {
  const contact = await getContact(svc, accountId, id);
  await svc.db.batch([
    svc.db
      .update(monitors)
      .set({
        alertContactIds: sql`(SELECT json_group_array(value) FROM json_each(${monitors.alertContactIds}) WHERE value <> ${contact.id})`,
      })
      .where(and(eq(monitors.accountId, accountId), sql`EXISTS (SELECT 1 FROM json_each(${monitors.alertContactIds}) WHERE value = ${contact.id})`)),
    svc.db
      .update(alertDeliveries)
      .set({ status: 'failed', lastError: 'contact deleted', leaseToken: null, leaseUntil: null })
      .where(and(eq(alertDeliveries.contactId, contact.id), eq(alertDeliveries.status, 'pending'))),
    svc.db.delete(alertContacts).where(and(eq(alertContacts.id, contact.id), eq(alertContacts.accountId, accountId))),
    auditStatement(svc, actor, { action: 'contacts.delete', entity: 'contacts', entityId: contact.id }),
  ]);
}
