import { and, eq } from 'drizzle-orm';
import { auditStatement, type Actor } from '../../audit/record.js';
import { secretBoxFor } from '../../crypto/secret-box.js';
import { alertContacts } from '../../db/schema.js';
import { badInput } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { contactKind } from '../kinds/index.js';
import type { Created } from './create.js';
import { getContact } from './read.js';
import { newWebhookSecret } from './signing-secret.js';

/** A new signing secret replaces the old one at once; shown here only (the audit row says only that it changed). */
export async function rotateSecret(svc: Services, accountId: string, id: string, actor: Actor): Promise<Created> {
  const contact = await getContact(svc, accountId, id);
  if (contactKind(contact.kind).secret !== 'generated') throw badInput('id', 'only webhook contacts have a signing secret');
  const signingSecret = newWebhookSecret();
  await svc.db.batch([
    svc.db
      .update(alertContacts)
      .set({ secretSealed: secretBoxFor(svc.config).seal(signingSecret, contact.id) })
      .where(and(eq(alertContacts.id, contact.id), eq(alertContacts.accountId, accountId))),
    auditStatement(svc, actor, { action: 'contacts.rotateSecret', entity: 'contacts', entityId: contact.id }),
  ]);
  return { contact, signingSecret };
}
