import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SmsSettings } from '../config.js';
import type { Logger } from '../log.js';
import type { SmsReceipt, SmsSender, SmsMessage } from './port.js';
import { loadSns, snsSender } from './sns.js';

/** Builds the configured transport: a file per message locally, Amazon SNS on AWS. */
export function createSmsSender(settings: SmsSettings, log: Logger): SmsSender {
  return settings.transport === 'sns' ? snsSender(loadSns) : fileSmsSender(settings.dir, log);
}

/**
 * The local default, as mail's .eml files: each message becomes a .txt file under ./data/sms/ and
 * its path is logged (never its text: it may carry a verification code).
 */
export function fileSmsSender(dir: string, log: Logger): SmsSender {
  let seq = 0;
  return {
    async send(message: SmsMessage): Promise<SmsReceipt> {
      await mkdir(dir, { recursive: true });
      const file = resolve(join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++seq}.txt`));
      await writeFile(file, `To: ${message.to}\n\n${message.text}\n`, { mode: 0o600 });
      log.info('sms.written', { file });
      return { messageId: `file-${seq}`, response: `written to ${file}` };
    },
  };
}
