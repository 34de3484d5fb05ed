import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicStatus } from '../../src/status-pages/read-model.js';
import { PRIVATE, statusWorld, type StatusWorld } from './world.js';

let w: StatusWorld;
beforeAll(async () => {
  w = await statusWorld();
});
afterAll(() => w.close());

/** Every public answer of the page: HTML, JSON, feed, the page's badge and each monitor's badge. */
async function everything(): Promise<Record<string, string>> {
  const paths = ['/status/acme', '/status/acme.json', '/status/acme/feed.atom', '/status/acme/badge.svg'];
  for (const m of [w.monitors.api, w.monitors.web, w.monitors.docs, w.monitors.webhooks]) paths.push(`/status/acme/monitors/${m.id}/badge.svg`);
  const out: Record<string, string> = {};
  for (const p of paths) {
    const res = await w.get(p);
    expect(res.status, p).toBe(200);
    out[p] = await res.text();
  }
  return out;
}

describe('what a public page shows', () => {
  it('by default: no URL, keyword, reason, internal name, other monitor or account detail anywhere', async () => {
    const forbidden = [
      PRIVATE.urlToken,
      w.targets.healthy.url,
      w.targets.flaky.url,
      '127.0.0.1',
      PRIVATE.keyword,
      PRIVATE.reason,
      'keyword',
      PRIVATE.monitorName,
      w.monitors.hidden.id,
      w.page.id,
      w.owner.email,
      w.owner.user.accountId,
    ];
    for (const [path, body] of Object.entries(await everything())) {
      for (const secret of forbidden) expect(body, `${path} shows ${secret}`).not.toContain(secret);
    }
    const json = (await (await w.get('/status/acme.json')).json()) as PublicStatus;
    for (const m of json.monitors) expect(Object.keys(m)).not.toContain('url');
    for (const i of json.incidents) expect(Object.keys(i)).not.toContain('reason');
  });

  it('a monitor not on the page has no badge there: the same 404 as an unknown page', async () => {
    const unknown = await w.get('/status/nope');
    const body = await unknown.text();
    for (const id of [w.monitors.hidden.id, 'mon_doesnotexist']) {
      const res = await w.get(`/status/acme/monitors/${id}/badge.svg`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe(body);
      // Not even a conditional request learns anything.
      expect((await w.get(`/status/acme/monitors/${id}/badge.svg`, { 'If-None-Match': '*' })).status).toBe(404);
    }
  });

  it('with the owner’s opt-ins: URLs and reasons, and still never the keyword or other monitors', async () => {
    await w.owner.statusPages.update.mutate({ id: w.page.id, showUrls: true, showReasons: true });
    const out = await everything();
    expect(out['/status/acme']).toContain(w.monitors.api.url!.replace(/&/g, '&amp;'));
    expect(out['/status/acme']).toContain(PRIVATE.reason);
    expect(out['/status/acme/feed.atom']).toContain(PRIVATE.reason);
    const json = JSON.parse(out['/status/acme.json']!) as PublicStatus;
    expect(json.monitors.map((m) => m.url)).toEqual([w.monitors.api.url, w.monitors.web.url, w.monitors.docs.url, w.monitors.webhooks.url]);
    expect(json.monitors.map((m) => m.reason)).toEqual([undefined, PRIVATE.reason, undefined, undefined]);
    expect(json.incidents.map((i) => i.reason)).toEqual([PRIVATE.reason, PRIVATE.reason]);
    for (const [path, body] of Object.entries(out)) {
      for (const secret of [PRIVATE.keyword, PRIVATE.monitorName, w.monitors.hidden.id, w.owner.email]) {
        expect(body, `${path} shows ${secret}`).not.toContain(secret);
      }
    }
  });
});
