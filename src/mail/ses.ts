import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { MailReceipt, Mailer, MailMessage } from './port.js';

/**
 * SES v2 with simple content: SES builds the MIME message itself (UTF-8 subject and bodies), so
 * the Lambdas that mail carry the SES client alone, not a MIME library (nodemailer is ~240 KB of
 * every bundle it is in; bench/RESULTS.md §2). The client loads on the first send.
 */
export function sesMailer(from: string, client: () => Promise<{ ses: SESv2Client; SendEmailCommand: typeof import('@aws-sdk/client-sesv2').SendEmailCommand }>): Mailer {
  let loaded: ReturnType<typeof client> | undefined;
  return {
    async send(message: MailMessage): Promise<MailReceipt> {
      loaded ??= client().catch((error: unknown) => {
        loaded = undefined; // a failed load is retried by the next send
        throw error;
      });
      const { ses, SendEmailCommand } = await loaded;
      const text = { Data: message.text, Charset: 'UTF-8' };
      const html = message.html === undefined ? {} : { Html: { Data: message.html, Charset: 'UTF-8' } };
      const out = await ses.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [message.to] },
          Content: { Simple: { Subject: { Data: message.subject, Charset: 'UTF-8' }, Body: { Text: text, ...html } } },
        }),
      );
      return { messageId: out.MessageId ?? 'unknown', response: 'accepted by SES' };
    },
  };
}

/** The SES v2 client, imported on first use. */
export const loadSes = async () => {
  const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
  return { ses: new SESv2Client({}), SendEmailCommand };
};

/** The Lambda mail adapter: SES v2 from MAIL_FROM. */
export const sesFromConfig = (config: { mail: { from: string } }): Mailer => sesMailer(config.mail.from, loadSes);
