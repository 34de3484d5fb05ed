import { createHash } from 'node:crypto';
import { describeError } from '../log.js';
import type { MailMessage } from '../mail/port.js';
import type { Services } from '../services.js';

/**
 * Sends an account email at once. A mail failure is logged, never shown: the answer must not depend on
 * whether (or which) email was sent, and the person can ask again. Links and notices whose sending
 * could tell whether an address has an account go through the outbox instead (src/mail/outbox.ts).
 */
export async function sendAccountEmail(svc: Services, to: string, email: Omit<MailMessage, 'to'>, kind: string): Promise<void> {
  try {
    await svc.mailer.send({ to, ...email });
  } catch (error) {
    svc.log.error('account_mail.failed', { kind, ...describeError(error) });
  }
}

/**
 * The rate-limit key of the mails sent to one address, whether or not it has an account (so both
 * cases do the same write); a digest, so an address nobody registered is not stored in the clear.
 */
export const mailCapKey = (purpose: string, email: string) => `${purpose}:${createHash('sha256').update(email, 'utf8').digest('hex').slice(0, 32)}`;
