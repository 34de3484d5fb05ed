import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSpaRouterTypes, SPA_ROUTER_FILE } from '../../scripts/spa-types.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { screenBundles } from '../../scripts/web-bundle.js';
import { WEB_DIST } from './support.js';

const HTML = { accept: 'text/html,application/xhtml+xml' };
let t: TestApp;
let asset: string;

beforeAll(async () => {
  asset = readdirSync(join(WEB_DIST, 'assets')).find((f) => f.endsWith('.js'))!;
  t = await startTestApp({ webApp: WEB_DIST });
}, 120_000);
afterAll(() => t?.close());

describe('the web app on the API’s origin (npm start)', () => {
  it('serves the app at / with a strict CSP, never cached without revalidation', async () => {
    const res = await fetch(`${t.baseUrl}/`, { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await res.text()).toContain('<div id="root">');
  });

  it('answers a deep link or a mailed link with the app, so a reload opens its screen', async () => {
    for (const path of ['/monitors/mon_abc', '/verify-email', '/reset-password', '/accept-invite', '/contacts/verify?x=1']) {
      const res = await fetch(`${t.baseUrl}${path}`, { headers: HTML });
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('<div id="root">');
    }
  });

  it('serves hashed assets as immutable', async () => {
    const res = await fetch(`${t.baseUrl}/assets/${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('sends the app’s files and large reads gzipped to a browser that accepts it, never a write’s answer', async () => {
    const gz = { 'accept-encoding': 'gzip, deflate, br' };
    const largest = readdirSync(join(WEB_DIST, 'assets')).filter((f) => f.endsWith('.js')).sort((a, b) => statSync(join(WEB_DIST, 'assets', b)).size - statSync(join(WEB_DIST, 'assets', a)).size)[0]!;
    const plain = await fetch(`${t.baseUrl}/assets/${largest}`, { headers: { 'accept-encoding': 'identity' } });
    const zipped = await fetch(`${t.baseUrl}/assets/${largest}`, { headers: gz });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toContain('Accept-Encoding');
    expect(zipped.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Number(zipped.headers.get('content-length'))).toBeLessThan(Number(plain.headers.get('content-length')) / 2);
    expect(await zipped.text()).toBe(await plain.text());

    const owner = await t.signUp();
    for (let i = 0; i < 20; i++) await owner.monitors.create.mutate({ name: `site ${i}`, url: `https://site-${i}.example.com/` });
    const list = await t.fetch(`/internal/monitors.list?batch=1&input=${encodeURIComponent('{"0":{}}')}`, { headers: { cookie: owner.jar.header(), ...gz } });
    expect(list.headers.get('content-encoding')).toBe('gzip');
    const { items, changesCursor } = (await list.json())[0].result.data;
    expect(items).toHaveLength(20);
    // A steady poll is a few dozen bytes: sent as it is, not inflated by a gzip header.
    const poll = await t.fetch(`/internal/monitors.changes?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { since: changesCursor } }))}`, { headers: { cookie: owner.jar.header(), ...gz } });
    expect(poll.headers.get('content-encoding')).toBeNull();
    expect((await poll.text()).length).toBeLessThan(200);
    const write = await t.fetch('/internal/monitors.create', { method: 'POST', headers: { cookie: owner.jar.header(), 'content-type': 'application/json', ...gz }, body: JSON.stringify({ name: 'written', url: 'https://written.example.com/', headers: { 'X-Padding': 'a'.repeat(1000) } }) });
    expect(write.status).toBe(200);
    expect(write.headers.get('content-encoding')).toBeNull();
    expect((await write.text()).length).toBeGreaterThan(1024);
  });

  it('leaves the API’s prefixes their own answer (404, or 401 before a token), even for a browser', async () => {
    for (const path of ['/internal/nope', '/auth/nope', '/api/v1/nope', '/oauth/nope', '/ping', '/healthz/x']) {
      const res = await fetch(`${t.baseUrl}${path}`, { headers: HTML });
      expect([401, 404], path).toContain(res.status);
      expect(res.headers.get('content-type'), path).not.toContain('text/html');
    }
  });

  it('gives a missing asset or a non-browser request a 404, not the page', async () => {
    expect((await fetch(`${t.baseUrl}/assets/missing-abc.js`, { headers: HTML })).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/somewhere`, { headers: { accept: 'application/json' } })).status).toBe(404);
  });
});

describe('the built bundle and the router’s types', () => {
  it('holds no server code: no drizzle, libSQL, argon2, jose, AWS SDK or node: builtins', () => {
    const js = readdirSync(join(WEB_DIST, 'assets')).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(3);
    const all = js.map((f) => readFileSync(join(WEB_DIST, 'assets', f), 'utf8')).join('\n');
    for (const marker of ['drizzle', '@libsql', 'libsql', 'argon2', 'jose', '@aws-sdk', 'from"node:', "from 'node:", 'require("node:']) {
      expect(all.includes(marker), marker).toBe(false);
    }
  });

  it('keeps every screen within its JavaScript budget, read from the build manifest', () => {
    const bundles = screenBundles(WEB_DIST);
    expect(bundles.map((b) => b.screen)).toEqual(expect.arrayContaining(['sign-in', 'dashboard', 'monitor']));
    console.log(`[figures] web-bundles: ${JSON.stringify(Object.fromEntries(bundles.map((b) => [b.screen, Math.round(b.jsGzipBytes / 1024)])))} (KB gzipped, on-demand chunks included)`);
    // What the sign-in screen downloads before a person can type: the entry and its own chunks.
    const signIn = bundles.find((b) => b.screen === 'sign-in')!;
    expect(signIn.firstLoadGzipBytes).toBeLessThanOrEqual(120 * 1024);
    // Every screen, with what it loads on demand (a form's schemas, a chart), within 200 KB.
    for (const b of bundles) expect(b.jsGzipBytes, b.screen).toBeLessThanOrEqual(200 * 1024);
  });

  it('ships src/spa-router.d.ts as the router makes it (npm run spa-types after a router change)', () => {
    expect(readFileSync(SPA_ROUTER_FILE, 'utf8')).toBe(renderSpaRouterTypes());
  }, 60_000);
});
