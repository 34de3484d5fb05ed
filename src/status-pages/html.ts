import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { formatLatency, formatTime, formatUptime, incidentSummary, STATUS_LABEL, uptimeClass } from './format.js';
import type { PublicMonitor, PublicStatus } from './read-model.js';
import { STATUS_CSS_PATH } from './stylesheet.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/**
 * The public page: plain server-rendered HTML, no script at all. Every value goes through
 * hono/html's escaping; the one stylesheet comes from our origin.
 */
export function renderStatusPage(d: PublicStatus): Html {
  const base = `/status/${d.page.slug}`;
  const active = d.incidents.filter((i) => i.open);
  const past = d.incidents.filter((i) => !i.open);
  return document(
    d.page.title,
    html`<link rel="alternate" type="application/atom+xml" title="${d.page.title} incidents" href="${base}/feed.atom">`,
    html`<header>
  <h1>${d.page.title}</h1>
  ${d.page.description ? html`<p class="lead">${d.page.description}</p>` : ''}
</header>
<main>
  <p class="banner banner-${d.status}">${d.summary}</p>
  <section aria-labelledby="services">
    <h2 id="services">Services</h2>
    ${d.monitors.length ? html`<ul class="monitors">${d.monitors.map(monitorCard)}</ul>` : html`<p>No services are listed on this page yet.</p>`}
  </section>
  <section aria-labelledby="incidents">
    <h2 id="incidents">Incidents</h2>
    ${active.length ? html`<h3>Ongoing</h3><ul class="incidents">${active.map(incidentItem)}</ul>` : html`<p>No ongoing incidents.</p>`}
    ${past.length
      ? html`<h3>Past ${14} days</h3><ul class="incidents">${past.map(incidentItem)}</ul>`
      : html`<p>No incidents in the past 14 days.</p>`}
  </section>
</main>
<footer>
  <p>Last updated ${d.updatedAt ? html`<time datetime="${d.updatedAt}">${formatTime(d.updatedAt)}</time>` : 'never (no check yet)'}
  · <a href="${base}.json">JSON</a> · <a href="${base}/feed.atom">Atom feed of incidents</a> · Monitored by Vigil</p>
</footer>`,
  );
}

function monitorCard(m: PublicMonitor): Html {
  return html`<li class="monitor">
  <div class="monitor-head"><h3>${m.name}</h3> <span class="state state-${m.status}">${STATUS_LABEL[m.status]}</span></div>
  ${m.url ? html`<p class="detail">${m.url}</p>` : ''}
  ${m.reason ? html`<p class="detail">${m.reason}</p>` : ''}
  <ol class="bars" aria-label="${m.name}: daily uptime over the last ${m.days.length} days">${m.days.map(dayBar)}</ol>
  <div class="axis" aria-hidden="true"><span>${m.days.length} days ago</span><span>Today</span></div>
  <dl class="uptime">
    <div><dt>24 h</dt><dd>${formatUptime(m.uptime24h)}</dd></div>
    <div><dt>30 days</dt><dd>${formatUptime(m.uptime30d)}</dd></div>
    <div><dt>90 days</dt><dd>${formatUptime(m.uptime90d)}</dd></div>
  </dl>
  ${m.regionLatency24h ? regionLatency(m.regionLatency24h) : ''}
</li>`;
}

/** A monitor checked from several regions: each region's mean response time, one line that wraps. */
function regionLatency(regions: NonNullable<PublicMonitor['regionLatency24h']>): Html {
  return html`<h4 class="figures-label">Response time by region, 24 h average</h4>
  <dl class="uptime regions">${regions.map(
    (r) => html`<div><dt>${r.region}</dt><dd>${formatLatency(r.avgResponseTimeMs)}</dd></div>`,
  )}</dl>`;
}

/** The figure is the bar's hover title for the eye and hidden text for screen readers. */
function dayBar(day: PublicMonitor['days'][number]): Html {
  const label = `${day.date}: ${day.uptime === null ? 'no data' : `${formatUptime(day.uptime)} uptime`}`;
  return html`<li class="${uptimeClass(day.uptime)}" title="${label}"><span class="vh">${label}</span></li>`;
}

function incidentItem(i: PublicStatus['incidents'][number]): Html {
  return html`<li class="incident${i.open ? '' : ' resolved'}">
  <h4>${i.monitor}: ${i.open ? 'down' : 'resolved'}</h4>
  <p>${incidentSummary(i)}</p>
  ${i.reason ? html`<p>${i.reason}</p>` : ''}
</li>`;
}

/** The one answer for every status address that does not exist: no hint of what does. */
export function renderNotFound(): Html {
  return renderProblem('Not found', 'There is no status page at this address.');
}

/** A page that only says what went wrong (not found, temporarily unavailable). */
export function renderProblem(title: string, message: string): Html {
  return document(title, '', html`<main><h1>${title}</h1><p>${message}</p></main>`);
}

function document(title: string, head: Html | string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="${raw(STATUS_CSS_PATH)}">
${head}
</head>
<body><div class="wrap">
${body}
</div></body>
</html>`;
}

/**
 * Part of the HTML's ETag: a deploy that changes the markup or the stylesheet must not leave
 * browsers revalidating an old page as current.
 */
export const HTML_VERSION = createHash('sha256')
  .update([renderStatusPage, monitorCard, regionLatency, formatLatency, dayBar, incidentItem, document].map(String).join('\n'))
  .update(STATUS_CSS_PATH)
  .digest('base64url')
  .slice(0, 16);
