import { E164_MESSAGE, isE164, normalisePhone } from '../contacts/phone.js';
import { formatDuration, publicData, type AlertEvent, type MonitorRef } from '../payloads.js';
import type { SmsContactKind } from './kind.js';

/**
 * A phone number in E.164 form, confirmed by a texted 6-digit code before it receives anything
 * (../contacts/verification.ts), each text spent from the plan's monthly allowance
 * (../sms-allowance.ts). Sent through the SMS port: a .txt file locally, Amazon SNS on AWS.
 */
export const smsKind: SmsContactKind = {
  name: 'sms',
  transport: 'sms',
  target: 'phone',
  secret: 'none',
  verifiedByCode: true,
  normalise: normalisePhone,
  targetProblem: (_config, target) => (isE164(target) ? null : E164_MESSAGE),
  text: (event, { appUrl }) => smsText(event, appUrl),
};

/**
 * A text message: short (one 160-character segment when the name is plain), no URL of the target
 * (it may carry a token) and no secret, the monitor's name and reason cut and cleaned so a name
 * cannot inject line breaks, direction overrides or a link of its own.
 */
export function smsText(event: AlertEvent, appUrl: string): string {
  const d = publicData(event);
  const monitor = d.monitor as MonitorRef | undefined;
  const name = smsPlain(monitor?.name ?? '', 32) || 'monitor';
  const reason = smsPlain(typeof d.reason === 'string' && d.reason ? d.reason : 'down', 32);
  const link = monitor ? ` ${appUrl}/monitors/${monitor.id}` : '';
  switch (event.type) {
    case 'monitor.down':
      return `Vigil: ${typeof d.reminder === 'number' ? 'STILL DOWN' : 'DOWN'} ${name} - ${reason}.${link}`;
    case 'monitor.up':
      return `Vigil: UP ${name} after ${formatDuration(Number(d.durationSeconds))}.${link}`;
    case 'certificate.expiring':
      return `Vigil: the certificate of ${name} expires in ${String(d.daysLeft)} day${d.daysLeft === 1 ? '' : 's'}.${link}`;
    case 'test':
      return 'Vigil: test alert. This number receives alerts.';
  }
}

/** Letters, digits, spaces and plain punctuation only, no scheme (no link), at most `max` characters. */
export function smsPlain(text: string, max: number): string {
  const plain = text
    .normalize('NFKC')
    .replace(/[a-z][a-z0-9+.-]*:\/\//gi, '')
    .replace(/[^\p{L}\p{N} .,:;!?'()&#%+_/-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 3).trimEnd()}...` : plain;
}
