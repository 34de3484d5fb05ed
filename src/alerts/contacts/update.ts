import { and, eq } from 'drizzle-orm';
import * as z from 'zod';
import { auditStatement, type Actor } from '../../audit/record.js';
import { contactChanges } from '../../audit/redact.js';
import { secretBoxFor } from '../../crypto/secret-box.js';
import { alertContacts } from '../../db/schema.js';
import { badInput } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { contactKind } from '../kinds/index.js';
import type { UpdateContactInput } from '../schemas.js';
import { sendCodeOrLog } from './create.js';
import { assertTarget, givenSecret } from './kind-rules.js';
import { getContact, type ContactRow } from './read.js';
import { newCode, spendCodeAllowance } from './verification.js';

/**
 * Renames, retargets, or replaces the kind's secret (a routing key, bot token, access token; null
 * removes an optional one); a new email address or phone number must be verified again before it receives anything.
 */
export async function updateContact(svc: Services, accountId: string, input: UpdateContactInput, actor: Actor): Promise<ContactRow> {
  const before = await getContact(svc, accountId, input.id);
  const kind = contactKind(before.kind);
  const target = input.target === undefined ? undefined : kind.normalise ? kind.normalise(input.target) : input.target;
  const retarget = target !== undefined && target !== before.target;
  if (retarget) {
    if (kind.target === 'email' && !z.email().safeParse(target).success) throw badInput('target', 'must be a valid email address');
    await assertTarget(svc, kind, target);
    if (kind.verifiedByCode) await spendCodeAllowance(svc, accountId, { kind: before.kind, target });
  }
  const secret = givenSecret(kind, input.secret, false);
  const verification = retarget && kind.verifiedByCode ? newCode(svc.now()) : null;
  const changed = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(retarget ? { target } : {}),
    ...(verification ? { status: 'pending' as const } : {}),
  };
  const secretColumn = secret === undefined ? {} : { secretSealed: secret === null ? null : secretBoxFor(svc.config).seal(secret, before.id) };
  const secretChange = secret === undefined ? {} : { secret: secret === null ? ('removed' as const) : ('set' as const) };
  await svc.db.batch([
    svc.db
      .update(alertContacts)
      .set({ ...changed, ...secretColumn, ...verification?.columns })
      .where(and(eq(alertContacts.id, before.id), eq(alertContacts.accountId, accountId))),
    auditStatement(svc, actor, {
      action: 'contacts.update',
      entity: 'contacts',
      entityId: before.id,
      changes: contactChanges(kind.target === 'url', { ...changed, ...secretChange }),
    }),
  ]);
  const after = await getContact(svc, accountId, input.id);
  if (verification) await sendCodeOrLog(svc, after, verification.code);
  return after;
}
