import { eq, sql } from 'drizzle-orm';
import { auditStatement, type Actor } from '../../audit/record.js';
import { contactChanges } from '../../audit/redact.js';
import { secretBoxFor } from '../../crypto/secret-box.js';
import { insertWithinLimitStatement, limitRefusal, type Quota } from '../../db/insert-within-limit.js';
import { alertContacts } from '../../db/schema.js';
import { badInput, limitReached } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { limitsOf, type AccountRef } from '../../domain/plans.js';
import type { Services } from '../../services.js';
import type { CreateContactInput } from '../schemas.js';
import { targetProblem } from '../targets.js';
import { getContact, type ContactRow } from './read.js';
import { newWebhookSecret } from './signing-secret.js';
import { isVerifiedKind } from '../../domain/verified-kinds.js';
import { normalisePhone } from './phone.js';
import { newCode, sendCode, spendCodeAllowance } from './verification.js';

export type Created = { contact: ContactRow; signingSecret: string | null };

/** A target as stored: an email address lower-cased, a phone number without the spaces and dashes typed. */
export function normalisedTarget(kind: ContactRow['kind'], target: string): string {
  return kind === 'email' ? target.toLowerCase() : kind === 'sms' ? normalisePhone(target) : target;
}

export async function assertTarget(svc: Services, kind: ContactRow['kind'], target: string): Promise<void> {
  const problem = await targetProblem(svc.config, kind, target);
  if (problem) throw badInput('target', problem);
}

/**
 * Email contacts start pending and are sent a code; webhooks get a signing secret, returned here
 * and never again. The plan's limit is enforced by the insert itself (insertWithinLimitStatement), so
 * parallel creates cannot overshoot it; the audit row is written in the same batch, only if the insert was.
 */
export async function createContact(svc: Services, account: AccountRef, input: CreateContactInput, actor: Actor): Promise<Created> {
  const target = normalisedTarget(input.kind, input.target);
  await assertTarget(svc, input.kind, target);
  const limits = limitsOf(account.plan);
  if (input.kind === 'sms' && limits.smsPerMonth === 0) {
    throw limitReached(`The ${limits.label} plan includes no SMS. Upgrade your plan to text alerts.`, { plan: account.plan, limit: 0, current: 0 }, 'kind');
  }
  if (isVerifiedKind(input.kind)) await spendCodeAllowance(svc, account.id, { kind: input.kind, target });
  const id = newId('ct');
  const now = svc.now();
  const signingSecret = input.kind === 'webhook' ? newWebhookSecret() : null;
  const verification = isVerifiedKind(input.kind) ? newCode(now) : null;
  const row: typeof alertContacts.$inferInsert = {
    id,
    accountId: account.id,
    kind: input.kind,
    name: input.name,
    target,
    status: verification ? 'pending' : 'active',
    secretSealed: signingSecret ? secretBoxFor(svc.config).seal(signingSecret, id) : null,
    ...verification?.columns,
    isOwner: false,
    createdAt: new Date(now),
    createdBy: actor.actorId,
  };
  const quota: Quota = {
    counted: eq(alertContacts.accountId, account.id),
    limit: limits.maxContacts,
    refuse: (have) =>
      limitReached(`${limits.label} plan allows ${limits.maxContacts} alert contacts; you have ${have}. Delete a contact or upgrade your plan.`, {
        plan: account.plan,
        limit: limits.maxContacts,
        current: have,
      }),
  };
  const [inserted] = await svc.db.batch([
    svc.db.run(insertWithinLimitStatement(alertContacts, row, quota)),
    auditStatement(
      svc,
      actor,
      { action: 'contacts.create', entity: 'contacts', entityId: id, changes: contactChanges(input.kind, { kind: input.kind, name: input.name, target }) },
      sql`changes() = 1`,
    ),
  ]);
  if (inserted.rowsAffected !== 1) throw await limitRefusal(svc.db, alertContacts, quota);
  const contact = await getContact(svc, account.id, id);
  if (verification) await sendCodeOrLog(svc, contact, verification.code);
  return { contact, signingSecret };
}

/** A code that could not be sent is not an error for the caller: resendVerification sends another. */
export async function sendCodeOrLog(svc: Services, contact: ContactRow, code: string): Promise<void> {
  try {
    await sendCode(svc, contact, code);
  } catch (error) {
    svc.log.warn('contact.code_mail_failed', { contactId: contact.id, error: error instanceof Error ? error.name : 'error' });
  }
}
