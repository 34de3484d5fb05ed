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
import { contactKind } from '../kinds/index.js';
import type { CreateContactInput } from '../schemas.js';
import { assertTarget, givenSecret } from './kind-rules.js';
import { getContact, type ContactRow } from './read.js';
import { newWebhookSecret } from './signing-secret.js';
import { newCode, sendCode, spendCodeAllowance } from './verification.js';

export type Created = { contact: ContactRow; signingSecret: string | null };

/**
 * Each kind decides (./kinds/): an email or SMS contact starts pending and is sent a code (SMS only on a plan with texts); a webhook gets
 * a signing secret, returned here and never again; a routing key, bot token or access token given
 * here is sealed and never shown again. The plan's limit is enforced by the insert itself (insertWithinLimitStatement), so
 * parallel creates cannot overshoot it; the audit row is written in the same batch, only if the insert was.
 */
export async function createContact(svc: Services, account: AccountRef, input: CreateContactInput, actor: Actor): Promise<Created> {
  const kind = contactKind(input.kind);
  const given = input.target ?? kind.defaultTarget;
  if (given === undefined) throw badInput('target', 'target is required');
  const target = kind.normalise ? kind.normalise(given) : given;
  await assertTarget(svc, kind, target);
  const secret = givenSecret(kind, input.secret, true) ?? null;
  const limits = limitsOf(account.plan);
  if (kind.transport === 'sms' && limits.smsPerMonth === 0) {
    throw limitReached(`The ${limits.label} plan includes no SMS. Upgrade your plan to text alerts.`, { plan: account.plan, limit: 0, current: 0 }, 'kind');
  }
  if (kind.verifiedByCode) await spendCodeAllowance(svc, account.id, { kind: input.kind, target });
  const id = newId('ct');
  const now = svc.now();
  const signingSecret = kind.secret === 'generated' ? newWebhookSecret() : null;
  const sealed = signingSecret ?? secret;
  const verification = kind.verifiedByCode ? newCode(now) : null;
  const row: typeof alertContacts.$inferInsert = {
    id,
    accountId: account.id,
    kind: input.kind,
    name: input.name,
    target,
    status: verification ? 'pending' : 'active',
    secretSealed: sealed ? secretBoxFor(svc.config).seal(sealed, id) : null,
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
      { action: 'contacts.create', entity: 'contacts', entityId: id, changes: contactChanges(kind.target === 'url', { kind: input.kind, name: input.name, target, ...(secret ? { secret: 'set' as const } : {}) }) },
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
