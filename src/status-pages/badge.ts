import { escapeXml, formatUptime } from './format.js';
import type { PublicMonitor, PublicStatus } from './read-model.js';

export type Badge = { label: string; message: string; color: string };

const GREEN = '#2e8540';
const RED = '#c9302c';
const AMBER = '#a86400';
const GREY = '#6a737d';

/** The page's badge: "up 99.98%" (30 days, every monitor on the page) while nothing is down. */
export function pageBadge(d: PublicStatus): Badge {
  if (d.status === 'major_outage') return { label: 'status', message: 'down', color: RED };
  if (d.status === 'partial_outage') return { label: 'status', message: 'partial outage', color: AMBER };
  return { label: 'status', message: upMessage(d.uptime30d), color: GREEN };
}

/** One monitor's badge, labelled with its display name. */
export function monitorBadge(m: PublicMonitor): Badge {
  const label = m.name.length > 40 ? `${m.name.slice(0, 39)}…` : m.name;
  switch (m.status) {
    case 'up':
      return { label, message: upMessage(m.uptime30d), color: GREEN };
    case 'down':
      return { label, message: 'down', color: RED };
    case 'paused':
      return { label, message: 'paused', color: GREY };
    case 'pending':
      return { label, message: 'pending', color: GREY };
    // Degraded is up (slow); maintenance is planned, not an outage.
    case 'degraded':
      return { label, message: 'degraded', color: AMBER };
    case 'maintenance':
      return { label, message: 'maintenance', color: GREY };
  }
}

const upMessage = (uptime30d: number | null) => (uptime30d === null ? 'up' : `up ${formatUptime(uptime30d)}`);

/**
 * A shields.io-style "flat" badge: two rounded halves, the text in Verdana 11 px. No script, no
 * style element, no external reference: it renders the same in an <img>, a README or alone.
 */
export function renderBadge({ label, message, color }: Badge): string {
  const lw = textWidth(label) + 10;
  const mw = textWidth(message) + 10;
  const w = lw + mw;
  const text = (x: number, t: string) =>
    `<text x="${x * 10}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="${(textWidth(t)) * 10}">${escapeXml(t)}</text>` +
    `<text x="${x * 10}" y="140" transform="scale(.1)" fill="#fff" textLength="${textWidth(t) * 10}">${escapeXml(t)}</text>`;
  const title = escapeXml(`${label}: ${message}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${title}"><title>${title}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">` +
    text(lw / 2, label) + text(lw + mw / 2, message) +
    `</g></svg>`;
}

/** Widths of Verdana 11 px glyphs, near enough for a badge to fit its text. */
function textWidth(text: string): number {
  let w = 0;
  for (const c of text) {
    if (' .,:;!|il\'1'.includes(c)) w += 3.9;
    else if ('%mwMW'.includes(c)) w += 10.5;
    else if (c >= 'A' && c <= 'Z') w += 7.6;
    else w += 6.9;
  }
  return Math.ceil(w);
}
