import { startSmtpServer, type Received } from '../support/smtp.js';
import { rememberSecret } from '../support/ledger.js';
import { startTestApp } from '../support/harness.js';

/** An app whose mail goes to a real SMTP server on loopback, with a clock the test moves. */
export async function appWithMail(env: Record<string, string> = {}) {
  const smtp = await startSmtpServer();
  const clock = { now: Date.UTC(2031, 5, 1) };
  const t = await startTestApp({ env: { MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url, ...env }, now: () => clock.now });
  return {
    t,
    smtp,
    clock,
    /** The token of the newest link of that kind sent to `to`, waiting for it to arrive. */
    async linkTo(to: string, kind: 'verify-email' | 'reset-password', nth = 1): Promise<string> {
      const matching = (inbox: Received[]) => inbox.filter((m) => m.envelopeTo.includes(to) && (m.text ?? '').includes(`/${kind}#token=`));
      await smtp.waitFor((inbox) => matching(inbox).length >= nth);
      const token = /#token=([A-Za-z0-9_-]{43})/.exec(matching(smtp.inbox)[nth - 1]!.text ?? '')![1]!;
      rememberSecret(token);
      return token;
    },
    async close() {
      await t.close();
      await smtp.close();
    },
  };
}

export const newEmail = (tag = 'u') => `${tag}-${Math.random().toString(36).slice(2)}@example.com`;
