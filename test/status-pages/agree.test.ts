import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLatency, formatUptime, STATUS_LABEL } from '../../src/status-pages/format.js';
import type { PublicStatus } from '../../src/status-pages/read-model.js';
import { statusWorld, type StatusWorld } from './world.js';

let w: StatusWorld;
let data: PublicStatus;
let html: string;
let feed: string;
beforeAll(async () => {
  w = await statusWorld();
  data = (await (await w.get('/status/acme.json')).json()) as PublicStatus;
  html = await (await w.get('/status/acme')).text();
  feed = await (await w.get('/status/acme/feed.atom')).text();
});
afterAll(() => w.close());

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
const plain = (s: string) => s.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
const all = (s: string, re: RegExp) => [...s.matchAll(re)].map((m) => plain(m[1]!));

/** Fetches a badge, checks it is well-formed SVG, and returns what it says. */
async function badge(path: string) {
  const res = await w.get(path);
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
  const svg = await res.text();
  expect(XMLValidator.validate(svg), path).toBe(true);
  const root = xml.parse(svg).svg;
  expect(root['@xmlns']).toBe('http://www.w3.org/2000/svg');
  expect(Number(root['@width'])).toBeGreaterThan(40);
  expect(svg).not.toMatch(/<script|<style|href=|\son\w+=/i);
  return { title: root.title as string, label: root['@aria-label'] as string };
}

describe('the JSON, the HTML, the feed and the badges agree', () => {
  it('on the overall status', () => {
    expect(all(html, /<p class="banner banner-(?:\w+)">(.*?)<\/p>/g)).toEqual([data.summary]);
    expect(html).toContain(`banner-${data.status}`);
  });

  it('on every monitor: name, state, 90 bars, uptime figures and latency by region', () => {
    const cards = all(html, /<li class="monitor">([\s\S]*?)<\/dl>\s*<\/li>/g);
    expect(cards).toHaveLength(data.monitors.length);
    const rawCards = [...html.matchAll(/<li class="monitor">([\s\S]*?)<\/dl>\s*<\/li>/g)].map((m) => m[1]!);
    data.monitors.forEach((m, i) => {
      expect(cards[i]).toContain(`${m.name} ${STATUS_LABEL[m.status]}`);
      const figures = [...rawCards[i]!.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)].map((f) => [f[1], f[2]]);
      expect(figures).toEqual([
        ['24 h', formatUptime(m.uptime24h)],
        ['30 days', formatUptime(m.uptime30d)],
        ['90 days', formatUptime(m.uptime90d)],
        ...(m.regionLatency24h ?? []).map((r) => [r.region, formatLatency(r.avgResponseTimeMs)]),
      ]);
      const titles = [...rawCards[i]!.matchAll(/ title="([^"]+)"/g)].map((t) => t[1]);
      expect(titles).toEqual(m.days.map((d) => `${d.date}: ${d.uptime === null ? 'no data' : `${formatUptime(d.uptime)} uptime`}`));
    });
  });

  it('on the incidents: the feed has one entry per incident the page lists, saying the same', () => {
    expect(XMLValidator.validate(feed)).toBe(true);
    const parsed = xml.parse(feed).feed;
    expect(parsed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    const entries = [parsed.entry].flat();
    expect(entries).toHaveLength(data.incidents.length);
    const items = all(html, /<li class="incident[^"]*">([\s\S]*?)<\/li>/g);
    expect(items).toHaveLength(data.incidents.length);
    data.incidents.forEach((inc, i) => {
      const e = entries[i];
      expect(e.title).toBe(`${inc.monitor}: ${inc.open ? 'down' : 'resolved'}`);
      expect(e.published).toBe(inc.startedAt);
      expect(e.updated).toBe(inc.resolvedAt ?? inc.startedAt);
      expect(items[i]).toBe(`${e.title} ${e.content['#text']}`);
    });
    // The latest of the incidents' changes and the page's own settings (created after them here).
    expect(parsed.updated).toBe(w.page.updatedAt);
    expect(parsed.link.map((l: Record<string, string>) => l['@href'])).toEqual(['http://vigil.test/status/acme', 'http://vigil.test/status/acme/feed.atom']);
  });

  it('on the badges: the page and each monitor', async () => {
    expect(data.status).toBe('partial_outage');
    expect(await badge('/status/acme/badge.svg')).toEqual({ title: 'status: partial outage', label: 'status: partial outage' });
    const [api, web, docs, webhooks] = data.monitors;
    expect(api!.uptime30d).toBe(99.854);
    expect((await badge(`/status/acme/monitors/${api!.id}/badge.svg`)).title).toBe('Public API: up 99.85%');
    expect((await badge(`/status/acme/monitors/${web!.id}/badge.svg`)).title).toBe('Website: down');
    expect((await badge(`/status/acme/monitors/${docs!.id}/badge.svg`)).title).toBe('Docs: paused');
    expect((await badge(`/status/acme/monitors/${webhooks!.id}/badge.svg`)).title).toBe('Webhooks: pending');
  });

  it('after a change: the page badge says "up" with the page-wide figure once nothing is down, and "down" when all is', async () => {
    w.targets.flaky.always = 200;
    w.now += 60_000;
    await w.check(w.monitors.web.id);
    const up = (await (await w.get('/status/acme.json')).json()) as PublicStatus;
    expect(up.status).toBe('operational');
    expect((await badge('/status/acme/badge.svg')).title).toBe(`status: up ${formatUptime(up.uptime30d)}`);
    expect(plain((await (await w.get('/status/acme')).text()).match(/<p class="banner[^>]*>(.*?)<\/p>/)![1]!)).toBe('All systems operational');

    w.targets.flaky.always = 500;
    w.targets.healthy.always = 500;
    w.now += 60_000;
    await w.check(w.monitors.web.id);
    await w.check(w.monitors.api.id);
    const down = (await (await w.get('/status/acme.json')).json()) as PublicStatus;
    expect(down.status).toBe('major_outage');
    expect((await badge('/status/acme/badge.svg')).title).toBe('status: down');
    const feedNow = xml.parse(await (await w.get('/status/acme/feed.atom')).text()).feed;
    expect([feedNow.entry].flat()).toHaveLength(down.incidents.length);
  });

  it('answers a conditional badge or feed request with 304', async () => {
    for (const path of ['/status/acme/badge.svg', '/status/acme/feed.atom', `/status/acme/monitors/${data.monitors[0]!.id}/badge.svg`]) {
      const etag = (await w.get(path)).headers.get('etag')!;
      expect((await w.get(path, { 'If-None-Match': etag })).status, path).toBe(304);
    }
  });
});

describe('the Atom feed stays XML whatever the owner typed', () => {
  /** XML 1.0's Char production: a document holding anything else is not XML (fast-xml-parser does not check it). */
  const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

  it('drops control characters a page title carries, so the feed still parses', async () => {
    await w.owner.statusPages.update.mutate({ id: w.page.id, title: 'Acme\u0007 st\u0001atus\u001b\uFFFE' });
    const res = await w.get('/status/acme/feed.atom');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toMatch(NOT_XML_CHAR);
    expect(XMLValidator.validate(text)).toBe(true);
    const parsed = new XMLParser().parse(text).feed;
    expect(parsed.title).toBe('Acme status: incidents');
    expect(parsed.author.name).toBe('Acme status');
  });
});
