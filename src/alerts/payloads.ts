/**
 * What each kind of contact receives for an event. The webhook body is the Standard Webhooks shape
 * ({ type, timestamp, data }); Slack and Discord get a message their apps render; email gets plain
 * text and HTML. docs/ALERTS.md documents every payload.
 */
import type { AlertEventType } from '../db/schema.js';
import type { MailMessage } from '../mail/port.js';

export type AlertEvent = { id: string; type: AlertEventType; data: Record<string, unknown>; createdAt: Date };
/** As events carry it: `url` is null for a heartbeat (older events stored it as ""); `kind` absent in older events. */
type MonitorRef = { id: string; name: string; kind?: string; url: string | null };

const TIME_FIELDS = ['startedAt', 'resolvedAt', 'certExpiresAt'] as const;

/** The event's data as receivers see it: times as ISO 8601 (stored as ms). */
export function publicData(event: AlertEvent): Record<string, unknown> {
  const data = { ...event.data };
  for (const k of TIME_FIELDS) if (typeof data[k] === 'number') data[k] = new Date(data[k]).toISOString();
  // A heartbeat has no URL: null, as the API shows it (events stored before said "").
  const monitor = data.monitor as MonitorRef | undefined;
  if (monitor && monitor.url === '') data.monitor = { ...monitor, url: null };
  return data;
}

/** How a person recognises the monitor in one line: its name and what it watches ("Shop (https://…)"). */
function described(m: MonitorRef): string {
  // Only a heartbeat has no URL: it is pinged, not fetched.
  return m.url ? `${m.name} (${m.url})` : `${m.name} (heartbeat)`;
}

/** The failure's reason, with the status code only when the reason does not already say it ("HTTP 500"). */
function reasonLine(reason: unknown, statusCode: unknown): string {
  const text = typeof reason === 'string' && reason ? reason : 'down';
  const code = typeof statusCode === 'number' ? String(statusCode) : null;
  return `Reason: ${text}${code && !text.includes(code) ? ` (HTTP ${code})` : ''}`;
}

export function webhookBody(event: AlertEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: publicData(event) });
}

/** "45s", "3m 12s", "2h 5m", "1d 3h": how long, to a person. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

type Summary = { title: string; lines: string[]; link: string | null; color: number };

/** The one human summary every chat and email format is built from. */
function summarise(event: AlertEvent, appUrl: string): Summary {
  const d = publicData(event);
  const monitor = d.monitor as MonitorRef | undefined;
  const link = monitor ? `${appUrl}/monitors/${monitor.id}` : null;
  switch (event.type) {
    case 'monitor.down':
      return {
        // A reminder (src/alerts/reminders.ts) repeats the event, numbered: said so, to a person.
        title: `${typeof d.reminder === 'number' ? 'STILL DOWN' : 'DOWN'}: ${monitor!.name} — ${typeof d.reason === 'string' && d.reason ? d.reason : 'down'}`,
        lines: [`${described(monitor!)} is down since ${String(d.startedAt)}.`, reasonLine(d.reason, d.statusCode)],
        link,
        color: 0xd93025,
      };
    case 'monitor.up':
      return {
        title: `UP: ${monitor!.name} after ${formatDuration(Number(d.durationSeconds))}`,
        lines: [`${described(monitor!)} is up again at ${String(d.resolvedAt)}, after ${formatDuration(Number(d.durationSeconds))} down.`],
        link,
        color: 0x188038,
      };
    case 'certificate.expiring':
      return {
        title: `Certificate expires in ${String(d.daysLeft)} day${d.daysLeft === 1 ? '' : 's'}: ${monitor!.name}`,
        lines: [`The TLS certificate of ${described(monitor!)} expires at ${String(d.certExpiresAt)}. Renew it before then.`],
        link,
        color: 0xf29900,
      };
    case 'test':
      return { title: 'Test alert', lines: ['This is a test alert from Vigil: this contact receives alerts.'], link: null, color: 0x1a73e8 };
  }
}

export function slackBody(event: AlertEvent, appUrl: string): string {
  const s = summarise(event, appUrl);
  // Slack parses the fallback text (notifications, older clients) as it parses mrkdwn: escaped alike.
  const text = escapeSlack(`[Vigil] ${s.title}`);
  return JSON.stringify({
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${text}*\n${s.lines.map(escapeSlack).join('\n')}` } },
      ...(s.link ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `<${s.link}|Open in Vigil>` }] }] : []),
    ],
  });
}

/**
 * Discord shows `&amp;` literally, so nothing is entity-escaped; what a name could abuse there,
 * mentions, is switched off by allowed_mentions.
 */
export function discordBody(event: AlertEvent, appUrl: string): string {
  const s = summarise(event, appUrl);
  return JSON.stringify({
    content: `[Vigil] ${s.title}`,
    embeds: [{ title: s.title, description: s.lines.join('\n'), color: s.color, timestamp: event.createdAt.toISOString(), ...(s.link ? { url: s.link } : {}) }],
    // Never ping @everyone or roles because a monitor's name says so.
    allowed_mentions: { parse: [] },
  });
}

export function emailMessage(event: AlertEvent, appUrl: string, to: string): MailMessage {
  const s = summarise(event, appUrl);
  const text = [...s.lines, '', ...(s.link ? [`Open in Vigil: ${s.link}`] : [])].join('\n');
  const html = `<h2>${escapeHtml(s.title)}</h2>${s.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}${
    s.link ? `<p><a href="${escapeHtml(s.link)}">Open in Vigil</a></p>` : ''
  }`;
  return { to, subject: `[Vigil] ${s.title}`, text, html };
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
/** Slack's three control characters (api.slack.com, "Escaping text"): &, < and >. */
const escapeSlack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

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
