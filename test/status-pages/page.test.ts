import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { monitors, regionRollups, statusPageMonitors } from '../../src/db/schema.js';
import type { PublicStatus } from '../../src/status-pages/read-model.js';
import { DAY, HOUR, hourRow, REGION_LATENCY, statusWorld, T0, watchDatabase, type StatusWorld } from './world.js';

let w: StatusWorld;
beforeAll(async () => {
  w = await statusWorld();
});
afterAll(() => w.close());

/** The text of each element matching `tag.class`, in order (the page is simple, server-rendered HTML). */
const texts = (html: string, re: RegExp) => [...html.matchAll(re)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

describe('GET /status/{slug}', () => {
  it('renders the banner, each monitor under its display name with its state, 90 bars and uptime', async () => {
    const res = await w.get('/status/acme');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(texts(html, /<p class="banner banner-partial_outage">(.*?)<\/p>/g)).toEqual(['Partial outage']);
    expect(texts(html, /<div class="monitor-head">(.*?)<\/div>/g)).toEqual([
      'Public API Operational',
      'Website Down',
      'Docs Paused',
      'Webhooks Not checked yet',
    ]);
    const bars = [...html.matchAll(/<ol class="bars"[^>]*>(.*?)<\/ol>/gs)].map((m) => [...m[1]!.matchAll(/<li class="(\w+)" title="([^"]+)"><span class="vh">([^<]+)<\/span><\/li>/g)]);
    expect(bars.map((b) => b.length)).toEqual([90, 90, 90, 90]);
    const api = bars[0]!;
    // 89 days ago (the first bar) was clean; 20 days ago had 8 failures in 288 checks.
    expect(api[0]!.slice(1)).toEqual(['ok', '2026-08-23: 100% uptime', '2026-08-23: 100% uptime']);
    expect(api[89 - 20]!.slice(1)).toEqual(['major', '2026-10-31: 97.22% uptime', '2026-10-31: 97.22% uptime']);
    expect(api[89 - 5]!.slice(1, 3)).toEqual(['none', '2026-11-15: no data']);
    expect(api[89]!.slice(1, 3)).toEqual(['ok', '2026-11-20: 100% uptime']);
    // The website's incident day: up since the check at -6 d, down 12:00–12:25, then up again.
    // SLA-true uptime counts the time: 25 minutes down of the day's 24 hours.
    expect(bars[1]![89 - 5]!.slice(1, 3)).toEqual(['major', '2026-11-15: 98.26% uptime']);
    expect(bars[3]!.every((b) => b[1] === 'none')).toBe(true);
    expect(texts(html, /<dl class="uptime">(.*?)<\/dl>/gs)[0]!.replace(/\s+/g, ' ')).toBe('24 h100% 30 days99.85% 90 days99.96%');
  });

  it('lists the ongoing incident and the resolved one of the past 14 days, with durations', async () => {
    const html = await (await w.get('/status/acme')).text();
    const items = texts(html, /<li class="incident[^"]*">(.*?)<\/li>/gs).map((s) => s.replace(/\s+/g, ' '));
    expect(items).toEqual([
      'Website: down Started 2026-11-20 11:30 UTC, ongoing for 30 min.',
      'Website: resolved Started 2026-11-15 12:00 UTC, ended 2026-11-15 12:25 UTC, lasted 25 min.',
    ]);
    // The last update is the last check of a monitor on the page (not of the owner's other monitors).
    expect(html).toContain(`Last updated <time datetime="${new Date(T0 - 30 * 60_000).toISOString()}">2026-11-20 11:30 UTC</time>`);
  });

  it('sends a strict CSP, no script, and the security headers', async () => {
    const res = await w.get('/status/acme');
    const html = await res.text();
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('public, max-age=30, stale-while-revalidate=60');
    expect(html).not.toMatch(/<script|\son\w+=|style=|javascript:/i);
    const css = html.match(/<link rel="stylesheet" href="([^"]+)">/)![1]!;
    expect(css).toMatch(/^\/status\/assets\/status\.[0-9a-f]{12}\.css$/);
    const sheet = await w.get(css);
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(sheet.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await w.get('/status/assets/status.000000000000.css')).status).toBe(404);
  });

  it('lets only the origins the owner lists frame the page', async () => {
    await w.owner.statusPages.update.mutate({ id: w.page.id, frameAncestors: ['https://www.acme.example', 'https://acme.example'] });
    try {
      const res = await w.get('/status/acme');
      expect(res.headers.get('content-security-policy')).toBe(CSP.replace("frame-ancestors 'none'", 'frame-ancestors https://www.acme.example https://acme.example'));
      expect(res.headers.get('x-frame-options')).toBeNull();
    } finally {
      await w.owner.statusPages.update.mutate({ id: w.page.id, frameAncestors: [] });
    }
  });
});

describe('GET /status/{slug}.json', () => {
  it('returns the same data, open to any origin', async () => {
    const res = await w.get('/status/acme.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const data = (await res.json()) as PublicStatus;
    expect(data).toMatchObject({
      page: { slug: 'acme', title: 'Acme status', description: 'Live health of Acme services.' },
      status: 'partial_outage',
      summary: 'Partial outage',
      updatedAt: new Date(T0 - 30 * 60_000).toISOString(),
    });
    expect(data.monitors.map((m) => [m.name, m.status, m.uptime24h])).toEqual([
      ['Public API', 'up', 100],
      // Down for the last 30 minutes of the 24 hours, up before (SLA-true).
      ['Website', 'down', 97.917],
      ['Docs', 'paused', null],
      ['Webhooks', 'pending', null],
    ]);
    expect(data.incidents).toEqual([
      { monitorId: w.monitors.web.id, monitor: 'Website', startedAt: new Date(T0 - 30 * 60_000).toISOString(), resolvedAt: null, open: true, durationSeconds: 1800 },
      {
        monitorId: w.monitors.web.id,
        monitor: 'Website',
        startedAt: new Date(T0 - 5 * DAY).toISOString(),
        resolvedAt: new Date(T0 - 5 * DAY + 25 * 60_000).toISOString(),
        open: false,
        durationSeconds: 1500,
      },
    ]);
  });
});

describe('caching', () => {
  it('answers a conditional request with 304 and no body, until the data changes', async () => {
    for (const path of ['/status/acme', '/status/acme.json']) {
      const first = await w.get(path);
      const etag = first.headers.get('etag')!;
      expect(etag, path).toMatch(/^"(html|json)-[A-Za-z0-9_-]{32}"$/);
      const again = await w.get(path, { 'If-None-Match': etag });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('public, max-age=30, stale-while-revalidate=60');
      expect((await w.get(path, { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304);
      expect((await w.get(path, { 'If-None-Match': '"stale"' })).status).toBe(200);
    }
    const before = (await w.get('/status/acme')).headers.get('etag')!;
    expect((await w.get('/status/acme.json')).headers.get('etag')).not.toBe(before);
    // A new check changes the data, so the tag.
    w.now = T0 + 60_000;
    await w.check(w.monitors.api.id);
    const after = await w.get('/status/acme', { 'If-None-Match': before });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
  });

  it('reads the page in one database round trip, latency by region included, and of the raw checks only each monitor’s newest', async () => {
    await w.t.settled();
    const db = watchDatabase(w);
    try {
      await w.get('/status/acme');
      await w.get('/status/acme.json', { 'If-None-Match': '"x"' });
      expect(db.seen).toHaveLength(2);
      for (const statements of db.seen) {
        expect(statements).toHaveLength(5);
        for (const sql of statements) {
          // The last check's join, by the id of the newest check (one row, by index): no other read of `checks`.
          const rest = sql.replace(/left join "checks" "last_check" on "last_check"\."id" = \(SELECT c\.id FROM checks c WHERE c\.monitor_id = "monitors"\."id" ORDER BY c\.checked_at DESC, c\.id DESC LIMIT 1\)/i, '');
          expect(rest).not.toMatch(/(from|join)\s+"?checks\b/i);
        }
      }
    } finally {
      db.restore();
    }
  });
});

describe('latency by region', () => {
  /** Each card's per-region figures as the page shows them: [region, figure] pairs, none for a card without the line. */
  const regionLines = (html: string) =>
    [...html.matchAll(/<li class="monitor">([\s\S]*?)<\/li>\s*(?=<li class="monitor">|<\/ul>)/g)].map((card) => {
      const line = /<h4 class="figures-label">Response time by region, 24 h average<\/h4>\s*<dl class="uptime regions">(.*?)<\/dl>/s.exec(card[1]!);
      return line ? [...line[1]!.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)].map((f) => [f[1], f[2]]) : null;
    });

  it('shows a monitor checked from two regions its mean response time per region over 24 hours, from the rollups, home first', async () => {
    const data = (await (await w.get('/status/acme.json')).json()) as PublicStatus;
    expect(data.monitors[0]!.regionLatency24h).toEqual(REGION_LATENCY);
    const html = await (await w.get('/status/acme')).text();
    expect(regionLines(html)[0]).toEqual([
      ['eu-west-1', '49 ms'],
      ['us-east-1', '174 ms'],
    ]);
  });

  it('shows none for a monitor checked from home alone, even with rows an earlier setting left, nor for one never checked', async () => {
    const data = (await (await w.get('/status/acme.json')).json()) as PublicStatus;
    expect(data.monitors.map((m) => Object.keys(m).includes('regionLatency24h'))).toEqual([true, false, false, false]);
    expect(regionLines(await (await w.get('/status/acme')).text())).toEqual([expect.any(Array), null, null, null]);
  });

  it('a region that answered none of its checks up says so; a plan that no longer allows several regions hides the line', async () => {
    const usEast = and(eq(regionRollups.monitorId, w.monitors.api.id), eq(regionRollups.region, 'us-east-1'));
    const kept = await w.t.svc.db.select().from(regionRollups).where(usEast);
    await w.t.svc.db.update(regionRollups).set({ answered: 0, okChecks: 0, totalResponseMs: 0 }).where(usEast);
    try {
      expect(regionLines(await (await w.get('/status/acme')).text())[0]).toEqual([
        ['eu-west-1', '49 ms'],
        ['us-east-1', 'no answer'],
      ]);
      await setPlanByEmail(w.t.svc, w.owner.email, 'free');
      const data = (await (await w.get('/status/acme.json')).json()) as PublicStatus;
      expect(data.monitors[0]).not.toHaveProperty('regionLatency24h');
    } finally {
      await setPlanByEmail(w.t.svc, w.owner.email, 'team');
      await w.t.svc.db.delete(regionRollups).where(usEast);
      await w.t.svc.db.insert(regionRollups).values(kept);
    }
    expect(((await (await w.get('/status/acme.json')).json()) as PublicStatus).monitors[0]!.regionLatency24h).toEqual(REGION_LATENCY);
  });

  it('shows nothing of another account’s monitor, even one forced into the page’s link table, nor of the owner’s monitors not on the page', async () => {
    const stranger = await w.t.signUp();
    await setPlanByEmail(w.t.svc, stranger.email, 'team');
    const theirs = await stranger.monitors.create.mutate({ name: 'theirs', url: w.targets.healthy.url, paused: true });
    await w.t.svc.db.update(monitors).set({ regions: ['eu-west-1', 'us-east-1'] }).where(eq(monitors.id, theirs.id));
    await w.t.svc.db.insert(regionRollups).values(['eu-west-1', 'us-east-1'].map((region) => ({ ...hourRow(theirs.id, region, T0 - 2 * HOUR), totalResponseMs: 12 * 777 })));
    await w.t.svc.db.insert(statusPageMonitors).values({ pageId: w.page.id, monitorId: theirs.id, position: 99 });
    try {
      const json = await (await w.get('/status/acme.json')).text();
      const html = await (await w.get('/status/acme')).text();
      for (const body of [json, html]) {
        expect(body).not.toContain(theirs.id);
        // Their figures (777 ms) and the hidden monitor's (888 ms) appear nowhere.
        expect(body).not.toMatch(/777|888/);
      }
      expect((JSON.parse(json) as PublicStatus).monitors.flatMap((m) => m.regionLatency24h ?? [])).toEqual(REGION_LATENCY);
    } finally {
      await w.t.svc.db.delete(statusPageMonitors).where(eq(statusPageMonitors.monitorId, theirs.id));
    }
  });
});

describe('methods', () => {
  it('answers HEAD like GET without a body, and any other method with the 404 page', async () => {
    const get = await w.get('/status/acme');
    const head = await fetch(w.t.baseUrl + '/status/acme', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    const post = await fetch(w.t.baseUrl + '/status/acme', { method: 'POST', body: 'x' });
    expect(post.status).toBe(404);
    expect(await post.text()).toBe(await (await w.get('/status/nope')).text());
  });
});

describe('the 404 page', () => {
  it('is the same for an unknown slug, a malformed one, a deleted page and any other address', async () => {
    const bodies = new Set<string>();
    const paths = ['/status/nope', '/status/nope.json', '/status/NOPE', '/status/a', '/status/acme/elsewhere', '/status', '/status/acme.xml', '/status/acme/', '/status/acme/feed.rss'];
    for (const path of paths) {
      const res = await w.get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      bodies.add(await res.text());
    }
    const other = await statusWorld({ slug: 'gone' });
    try {
      await other.owner.statusPages.delete.mutate({ id: other.page.id });
      const res = await other.get('/status/gone');
      expect(res.status).toBe(404);
      bodies.add(await res.text());
      bodies.add(await (await other.get('/status/gone.json')).text());
    } finally {
      await other.close();
    }
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain('There is no status page at this address.');
  });
});
