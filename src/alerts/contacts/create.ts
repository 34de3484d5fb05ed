import { count, eq, sql } from 'drizzle-orm';
import { alertContacts, type PlanName } from '../../db/schema.js';
import { badInput, limitReached } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { limitsOf } from '../../domain/plans.js';
import type { Services } from '../../services.js';
import type { CreateContactInput } from '../schemas.js';
import { newWebhookSecret, seal } from '../secret-box.js';
import { targetProblem } from '../targets.js';
import { getContact, keyringOf, type ContactRow } from './read.js';
import { mailCode, newCode, spendCodeAllowance } from './verification.js';

export type Created = { contact: ContactRow; signingSecret: string | null };

export async function assertTarget(svc: Services, kind: ContactRow['kind'], target: string): Promise<void> {
  const problem = await targetProblem(svc.config, kind, target);
  if (problem) throw badInput('target', problem);
}

/**
 * Email contacts start pending and are sent a code; webhooks get a signing secret, returned here
 * and never again. The plan's limit is enforced by the insert itself, so parallel creates cannot
 * overshoot it.
 */
export async function createContact(svc: Services, account: { id: string; plan: PlanName }, input: CreateContactInput): Promise<Created> {
  const target = input.kind === 'email' ? input.target.toLowerCase() : input.target;
  await assertTarget(svc, input.kind, target);
  if (input.kind === 'email') await spendCodeAllowance(svc, account.id);
  const limits = limitsOf(account.plan);
  const id = newId('ct');
  const now = svc.now();
  const signingSecret = input.kind === 'webhook' ? newWebhookSecret() : null;
  const sealed = signingSecret ? seal(keyringOf(svc), signingSecret, id) : null;
  const verification = input.kind === 'email' ? newCode(now) : null;
  const v = verification?.columns;
  const inserted = await svc.db.run(sql`
    INSERT INTO alert_contacts (id, account_id, kind, name, target, status, secret_sealed,
      code_hash, code_salt, code_failures, code_expires_at, is_owner, created_at)
    SELECT ${id}, ${account.id}, ${input.kind}, ${input.name}, ${target}, ${verification ? 'pending' : 'active'}, ${sealed},
      ${v?.codeHash ?? null}, ${v?.codeSalt ?? null}, 0, ${v?.codeExpiresAt ?? null}, 0, ${now}
    WHERE (SELECT count(*) FROM alert_contacts WHERE account_id = ${account.id}) < ${limits.maxContacts}`);
  if (inserted.rowsAffected !== 1) {
    const [row] = await svc.db.select({ n: count() }).from(alertContacts).where(eq(alertContacts.accountId, account.id));
    const have = row?.n ?? 0;
    throw limitReached(
      `${limits.label} plan allows ${limits.maxContacts} alert contacts; you have ${have}. Delete a contact or upgrade your plan.`,
      { plan: account.plan, limit: limits.maxContacts, current: have },
    );
  }
  const contact = await getContact(svc, account.id, id);
  if (verification) await sendCodeOrLog(svc, contact, verification.code);
  return { contact, signingSecret };
}

/** A code that could not be mailed is not an error for the caller: resendVerification sends another. */
export async function sendCodeOrLog(svc: Services, contact: ContactRow, code: string): Promise<void> {
  try {
    await mailCode(svc, contact, code);
  } catch (error) {
    svc.log.warn('contact.code_mail_failed', { contactId: contact.id, error: error instanceof Error ? error.name : 'error' });
  }
}
