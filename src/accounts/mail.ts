import { describeError } from '../log.js';
import type { MailMessage } from '../mail/port.js';
import type { Services } from '../services.js';

/**
 * Sends an account email. A mail failure is logged, never shown: the answer must not depend on
 * whether (or which) email was sent, and the person can ask again.
 */
export async function sendAccountEmail(svc: Services, to: string, email: Omit<MailMessage, 'to'>, kind: string): Promise<void> {
  try {
    await svc.mailer.send({ to, ...email });
  } catch (error) {
    svc.log.error('account_mail.failed', { kind, ...describeError(error) });
  }
}
