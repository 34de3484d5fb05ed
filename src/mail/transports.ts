import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from '../log.js';
import type { MailReceipt, Mailer, MailMessage } from './port.js';
import { loadSes, sesMailer } from './ses.js';

import type { MailSettings } from '../config.js';

export type { MailSettings };

/**
 * Builds the configured transport. File and SMTP are nodemailer; SES builds the MIME message
 * itself from the same subject and bodies (src/mail/ses.ts), so Lambda bundles carry no MIME library.
 */
export function createMailer(settings: MailSettings, log: Logger): Mailer {
  switch (settings.transport) {
    case 'file':
      return fileMailer(settings.from, settings.dir, log);
    case 'smtp':
      return viaTransporter(settings.from, async () => createTransport(settings.url));
    case 'ses':
      return sesMailer(settings.from, loadSes);
  }
}

function viaTransporter(from: string, make: () => Promise<Transporter>): Mailer {
  let transporter: Promise<Transporter> | undefined;
  return {
    async send(message: MailMessage): Promise<MailReceipt> {
      transporter ??= make();
      const info = (await (await transporter).sendMail({ from, ...message })) as { messageId: string; response?: string };
      return { messageId: info.messageId, response: info.response ?? 'accepted' };
    },
  };
}

/**
 * The local default: each message becomes an .eml file under ./data/mail/ and its path is logged,
 * so a newcomer sees what would have been sent without any mail server.
 */
function fileMailer(from: string, dir: string, log: Logger): Mailer {
  const render = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let seq = 0;
  return {
    async send(message: MailMessage): Promise<MailReceipt> {
      const info = (await render.sendMail({ from, ...message })) as { messageId: string; message: Buffer };
      await mkdir(dir, { recursive: true });
      const file = resolve(join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++seq}.eml`));
      await writeFile(file, info.message, { mode: 0o600 });
      // The path only: a message may carry a verification code or a reset link.
      log.info('mail.written', { file, subject: message.subject });
      return { messageId: info.messageId, response: `written to ${file}` };
    },
  };
}
