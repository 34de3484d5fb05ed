/** How figures read on the page, in the feed and on the badges: one formatter, so they agree. */

import type { MonitorStatus } from '../monitors/wire.js';

/** "99.98%": floored, never rounded up, so 99.999 never shows as a perfect 100%. */
export function formatUptime(percent: number | null): string {
  if (percent === null) return 'no data';
  if (percent >= 100) return '100%';
  return `${(Math.floor(percent * 100 + 1e-7) / 100).toFixed(2)}%`;
}

/** "142 ms"; "no answer" for a region that answered none of its checks up. */
export function formatLatency(ms: number | null): string {
  return ms === null ? 'no answer' : `${ms} ms`;
}

/** "2 d 3 h", "1 h 5 min", "4 min", "45 s": the two largest units. */
export function formatDuration(seconds: number): string {
  const units: [string, number][] = [['d', 86_400], ['h', 3_600], ['min', 60], ['s', 1]];
  const rest = Math.max(0, Math.round(seconds));
  const i = units.findIndex(([, size]) => rest >= size);
  if (i < 0) return '0 s';
  const [name, size] = units[i]!;
  const next = units[i + 1];
  const second = next ? Math.floor((rest % size) / next[1]) : 0;
  return `${Math.floor(rest / size)} ${name}` + (next && second ? ` ${second} ${next[0]}` : '');
}

/** "2026-11-20 12:05 UTC": pages are rendered on the server, for every visitor's time zone at once. */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The colour class of a day's bar. */
export function uptimeClass(percent: number | null): 'none' | 'ok' | 'minor' | 'major' | 'bad' {
  if (percent === null) return 'none';
  if (percent >= 99.9) return 'ok';
  if (percent >= 99) return 'minor';
  if (percent >= 95) return 'major';
  return 'bad';
}

export const STATUS_LABEL = {
  up: 'Operational',
  down: 'Down',
  paused: 'Paused',
  pending: 'Not checked yet',
  // Answering but slow (still up), and inside a maintenance window.
  degraded: 'Degraded performance',
  maintenance: 'Under maintenance',
} as const satisfies Record<MonitorStatus, string>;

/** "Started 2026-11-20 11:30 UTC, ended …, lasted 25 min." — the page and the feed say the same. */
export function incidentSummary(i: { startedAt: string; resolvedAt: string | null; durationSeconds: number }): string {
  return `Started ${formatTime(i.startedAt)}` +
    (i.resolvedAt ? `, ended ${formatTime(i.resolvedAt)}, lasted ${formatDuration(i.durationSeconds)}.` : `, ongoing for ${formatDuration(i.durationSeconds)}.`);
}

/** Outside XML 1.0's Char production (control characters, lone surrogates, U+FFFE/FFFF): not even a reference may carry them. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * For text placed in XML (the feed, the badges): the five characters XML reserves escaped, and the
 * characters no XML document may hold dropped, so an owner's title cannot break a reader's parse.
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
