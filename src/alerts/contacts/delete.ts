import { and, eq, sql, type SQL } from 'drizzle-orm';
import { auditStatement, type Actor } from '../../audit/record.js';
import { alertContacts, alertDeliveries, monitors } from '../../db/schema.js';
import type { Services } from '../../services.js';
import { getContact } from './read.js';

/** Removes the contact, takes it off every monitor, and ends its pending deliveries, in one batch with its audit row. */
export async function deleteContact(svc: Services, accountId: string, id: string, actor: Actor): Promise<void> {
  const contact = await getContact(svc, accountId, id);
  await svc.db.batch([...contactDeletion(svc, accountId, contact.id), auditStatement(svc, actor, { action: 'contacts.delete', entity: 'contacts', entityId: contact.id })]);
}

/**
 * The statements that delete a contact of the account, for a batch: off every monitor, its pending
 * deliveries failed, the row deleted (last, so `changes() = 1` after them says it was). With
 * `onlyIf`, each runs only when that holds (a member's removal that may be refused).
 */
export function contactDeletion(svc: Services, accountId: string, contactId: string, onlyIf: SQL = sql`1`) {
  return [
    svc.db
      .update(monitors)
      .set({
        alertContactIds: sql`(SELECT json_group_array(value) FROM json_each(${monitors.alertContactIds}) WHERE value <> ${contactId})`,
      })
      .where(and(eq(monitors.accountId, accountId), sql`EXISTS (SELECT 1 FROM json_each(${monitors.alertContactIds}) WHERE value = ${contactId})`, onlyIf)),
    svc.db
      .update(alertDeliveries)
      .set({ status: 'failed', lastError: 'contact deleted', leaseToken: null, leaseUntil: null })
      .where(and(eq(alertDeliveries.contactId, contactId), eq(alertDeliveries.status, 'pending'), onlyIf)),
    svc.db.delete(alertContacts).where(and(eq(alertContacts.id, contactId), eq(alertContacts.accountId, accountId), onlyIf)),
  ] as const;
}
