import { and, eq } from 'drizzle-orm';
import { auditStatement, type Actor } from '../../audit/record.js';
import { contactChanges } from '../../audit/redact.js';
import { alertContacts } from '../../db/schema.js';
import { badInput } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { addressProblem, type UpdateContactInput } from '../schemas.js';
import { isVerifiedKind } from '../../domain/verified-kinds.js';
import { assertTarget, normalisedTarget, sendCodeOrLog } from './create.js';
import { getContact, type ContactRow } from './read.js';
import { newCode, spendCodeAllowance } from './verification.js';

/** Renames, or retargets; a new email address or phone number must be verified again before it receives anything. */
export async function updateContact(svc: Services, accountId: string, input: UpdateContactInput, actor: Actor): Promise<ContactRow> {
  const before = await getContact(svc, accountId, input.id);
  const target = input.target === undefined ? undefined : normalisedTarget(before.kind, input.target);
  const retarget = target !== undefined && target !== before.target;
  const verified = isVerifiedKind(before.kind);
  if (retarget) {
    const problem = addressProblem(before.kind, target);
    if (problem) throw badInput('target', problem);
    await assertTarget(svc, before.kind, target);
    if (verified) await spendCodeAllowance(svc, accountId, { kind: before.kind, target });
  }
  const verification = retarget && verified ? newCode(svc.now()) : null;
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
