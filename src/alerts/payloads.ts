/**
 * An alert event as receivers see it, and the one human summary of it that every kind's message
 * is built from. Each kind renders its own format (./kinds/); docs/ALERTS.md documents every payload.
 */
import type { AlertEventType } from '../db/schema.js';

export type AlertEvent = { id: string; type: AlertEventType; data: Record<string, unknown>; createdAt: Date };
/** As events carry it: `url` is null for a heartbeat (older events stored it as ""); `kind` absent in older events. */
export type MonitorRef = { id: string; name: string; kind?: string; url: string | null };

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

/**
 * How a format shows what users wrote (a monitor's name and URL, a failure's reason) so it reads as
 * those words and never as the format's markup: a link, a mention, emphasis. Vigil's own words
 * around them are plain, so a format that marks up nothing of its own needs no escaping at all.
 */
export type UserText = { text: (words: string) => string; url: (url: string) => string };
const verbatim: UserText = { text: (s) => s, url: (s) => s };

/** How a person recognises the monitor in one line: its name and what it watches ("Shop (https://…)"). */
function described(m: MonitorRef, user: UserText): string {
  // Only a heartbeat has no URL: it is pinged, not fetched.
  return `${user.text(m.name)} (${m.url ? user.url(m.url) : 'heartbeat'})`;
}

/** The failure's reason as given, "down" when none. */
const reasonOf = (reason: unknown): string => (typeof reason === 'string' && reason ? reason : 'down');

/** The failure's reason, with the status code only when the reason does not already say it ("HTTP 500"). */
function reasonLine(reason: unknown, statusCode: unknown, user: UserText): string {
  const text = reasonOf(reason);
  const code = typeof statusCode === 'number' ? String(statusCode) : null;
  return `Reason: ${user.text(text)}${code && !text.includes(code) ? ` (HTTP ${code})` : ''}`;
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

export type Summary = { title: string; lines: string[]; link: string | null; color: number };

/**
 * The one human summary every chat and email format is built from (each kind in ./kinds/ renders
 * it), with what users wrote passed through `user` (verbatim for formats that escape whole lines).
 */
export function summarise(event: AlertEvent, appUrl: string, user: UserText = verbatim): Summary {
  const d = publicData(event);
  const monitor = d.monitor as MonitorRef | undefined;
  const name = monitor ? user.text(monitor.name) : '';
  const link = monitor ? `${appUrl}/monitors/${monitor.id}` : null;
  switch (event.type) {
    case 'monitor.down':
      return {
        // A reminder (src/alerts/reminders.ts) repeats the event, numbered: said so, to a person.
        title: `${typeof d.reminder === 'number' ? 'STILL DOWN' : 'DOWN'}: ${name} — ${user.text(reasonOf(d.reason))}`,
        lines: [`${described(monitor!, user)} is down since ${String(d.startedAt)}.`, reasonLine(d.reason, d.statusCode, user)],
        link,
        color: 0xd93025,
      };
    case 'monitor.up':
      return {
        title: `UP: ${name} after ${formatDuration(Number(d.durationSeconds))}`,
        lines: [`${described(monitor!, user)} is up again at ${String(d.resolvedAt)}, after ${formatDuration(Number(d.durationSeconds))} down.`],
        link,
        color: 0x188038,
      };
    case 'certificate.expiring':
      return {
        title: `Certificate expires in ${String(d.daysLeft)} day${d.daysLeft === 1 ? '' : 's'}: ${name}`,
        lines: [`The TLS certificate of ${described(monitor!, user)} expires at ${String(d.certExpiresAt)}. Renew it before then.`],
        link,
        color: 0xf29900,
      };
    case 'test':
      return { title: 'Test alert', lines: ['This is a test alert from Vigil: this contact receives alerts.'], link: null, color: 0x1a73e8 };
  }
}
