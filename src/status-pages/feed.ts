import { escapeXml, incidentSummary } from './format.js';
import type { PublicStatus } from './read-model.js';

export type FeedInput = { page: PublicStatus['page']; incidents: PublicStatus['incidents']; pageUpdatedAt: number };

/**
 * An Atom feed (RFC 4287) of the page's incidents: one entry per incident, updated when it is
 * resolved. Entry ids are built from the monitor shown on the page and the start time, so they
 * are stable and reveal no internal id.
 */
export function renderFeed(f: FeedInput, baseUrl: string): string {
  const pageUrl = `${baseUrl}/status/${f.page.slug}`;
  const updatedOf = (i: FeedInput['incidents'][number]) => i.resolvedAt ?? i.startedAt;
  const updated = [new Date(f.pageUpdatedAt).toISOString(), ...f.incidents.map(updatedOf)].sort().at(-1)!;
  const entries = f.incidents.map(
    (i) => `  <entry>
    <id>${escapeXml(`${pageUrl}#incident-${i.monitorId}-${Date.parse(i.startedAt)}`)}</id>
    <title>${escapeXml(`${i.monitor}: ${i.open ? 'down' : 'resolved'}`)}</title>
    <published>${i.startedAt}</published>
    <updated>${updatedOf(i)}</updated>
    <link rel="alternate" type="text/html" href="${escapeXml(pageUrl)}"/>
    <content type="text">${escapeXml(incidentSummary(i) + (i.reason ? ` ${i.reason}` : ''))}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeXml(pageUrl)}</id>
  <title>${escapeXml(`${f.page.title}: incidents`)}</title>
  <updated>${updated}</updated>
  <author><name>${escapeXml(f.page.title)}</name></author>
  <link rel="alternate" type="text/html" href="${escapeXml(pageUrl)}"/>
  <link rel="self" type="application/atom+xml" href="${escapeXml(`${pageUrl}/feed.atom`)}"/>
${entries.join('\n')}
</feed>
`;
}
