import { and, eq } from 'drizzle-orm';
import * as z from 'zod';
import { auditStatement, type Actor } from '../../audit/record.js';
import { contactChanges } from '../../audit/redact.js';
import { alertContacts } from '../../db/schema.js';
import { badInput } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import type { UpdateContactInput } from '../schemas.js';
import { assertTarget, sendCodeOrLog } from './create.js';
import { getContact, type ContactRow } from './read.js';
import { newCode, spendCodeAllowance } from './verification.js';

/** Renames, or retargets; a new email address must be verified again before it receives anything. */
export async function updateContact(svc: Services, accountId: string, input: UpdateContactInput, actor: Actor): Promise<ContactRow> {
  const before = await getContact(svc, accountId, input.id);
  const target = input.target === undefined ? undefined : before.kind === 'email' ? input.target.toLowerCase() : input.target;
  const retarget = target !== undefined && target !== before.target;
  if (retarget) {
    if (before.kind === 'email' && !z.email().safeParse(target).success) throw badInput('target', 'must be a valid email address');
    await assertTarget(svc, before.kind, target);
    if (before.kind === 'email') await spendCodeAllowance(svc, accountId);
  }
  const verification = retarget && before.kind === 'email' ? newCode(svc.now()) : null;
  const changed = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(retarget ? { target } : {}),
    ...(verification ? { status: 'pending' as const } : {}),
  };
  await svc.db.batch([
    svc.db
      .update(alertContacts)
      .set({ ...changed, ...verification?.columns })
      .where(and(eq(alertContacts.id, before.id), eq(alertContacts.accountId, accountId))),
    auditStatement(svc, actor, { action: 'contacts.update', entity: 'contacts', entityId: before.id, changes: contactChanges(before.kind, changed) }),
  ]);
  const after = await getContact(svc, accountId, input.id);
  if (verification) await sendCodeOrLog(svc, after, verification.code);
  return after;
}
