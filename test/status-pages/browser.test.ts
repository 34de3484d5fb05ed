/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusWorld, type StatusWorld } from './world.js';

/**
 * The page in a real browser: Debian's chromium, driven by playwright-core. `npm run screenshots`
 * (STATUS_SCREENSHOTS=1) also writes the two screenshots the README shows to docs/img/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = process.env.STATUS_SCREENSHOTS === '1';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let w: StatusWorld;
let profile: string;
let context: BrowserContext;
/** Every request the browser made, and those that left the service's origin. */
const requested: string[] = [];
const outside: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  w = await statusWorld();
  profile = mkdtempSync(join(tmpdir(), 'vigil-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });
  const origin = new URL(w.t.baseUrl).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requested.push(url);
    if (new URL(url).origin === origin || url.startsWith('data:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
}, 60_000);
afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await w?.close();
});

let shared: Page | undefined;
/** One tab for every test: the page is loaded once (a width change re-lays it out, as a resize does). */
async function open(width: number): Promise<Page> {
  if (shared) {
    await shared.setViewportSize({ width, height: 900 });
    return shared;
  }
  const page = await context.newPage();
  shared = page;
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.setViewportSize({ width, height: 900 });
  const res = await page.goto(`${w.t.baseUrl}/status/acme`, { waitUntil: 'load' });
  expect(res?.status()).toBe(200);
  return page;
}

describe('the status page in headless Chromium', () => {
  it('shows the banner, the names, the states and the bars of monitors in known states', async () => {
    const page = await open(1280);
    await expect(page.locator('.banner').textContent()).resolves.toBe('Partial outage');
    const heads = await page.locator('.monitor-head').allInnerTexts();
    expect(heads.map((h) => h.replace(/\s+/g, ' '))).toEqual(['Public API Operational', 'Website Down', 'Docs Paused', 'Webhooks Not checked yet']);
    for (let i = 0; i < 4; i++) expect(await page.locator('.monitor').nth(i).locator('.bars li').count()).toBe(90);
    // Coloured by uptime (the stylesheet applied under the CSP), with the figure on hover and for screen readers.
    const apiBars = page.locator('.monitor').nth(0).locator('.bars li');
    const bar = apiBars.nth(89 - 20);
    expect(await bar.getAttribute('title')).toBe('2026-10-31: 97.22% uptime');
    expect(await bar.locator('.vh').textContent()).toBe('2026-10-31: 97.22% uptime');
    const colour = (i: number) => apiBars.nth(i).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await colour(0)).toBe('rgb(31, 157, 76)'); // a clean day
    expect(await colour(89 - 20)).toBe('rgb(240, 160, 32)'); // 97.22 %
    expect(await colour(89 - 5)).toBe('rgb(201, 206, 214)'); // no data
    expect(await page.locator('.banner').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(138, 75, 0)');
    // Visually hidden text takes no room.
    expect(await bar.locator('.vh').evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
    expect(await page.locator('.incident').count()).toBe(2);
    // Latency by region: a labelled line on the monitor checked from two regions, and on no other.
    const regions = page.locator('.monitor').nth(0).locator('dl.regions');
    expect((await regions.innerText()).replace(/\s+/g, ' ')).toBe('eu-west-1 49 ms us-east-1 174 ms');
    expect(await page.locator('dl.regions').count()).toBe(1);
  });

  it('passes axe-core with no serious or critical violation', async () => {
    const page = await open(1280);
    // Evaluated through the DevTools protocol, which the page's CSP (no script at all) does not govern.
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const r = await (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[]; passes: unknown[] }> } }).axe.run(document);
      return { violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })), passes: r.passes.length };
    });
    expect(result.passes).toBeGreaterThan(10);
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it.each([390, 1280])('reads well %i px wide: nothing overflows, every bar is visible', async (width) => {
    const page = await open(width);
    const layout = await page.evaluate(() => {
      const bars = [...document.querySelectorAll('.bars')].map((ol) => [...ol.children].map((li) => li.getBoundingClientRect().width));
      return { scrollWidth: document.scrollingElement!.scrollWidth, bars };
    });
    expect(layout.scrollWidth).toBeLessThanOrEqual(width);
    for (const widths of layout.bars) {
      expect(widths).toHaveLength(90);
      expect(Math.min(...widths)).toBeGreaterThanOrEqual(width < 500 ? 2 : 6);
    }
    const shot = await page.screenshot({ fullPage: true });
    expect(shot.length).toBeGreaterThan(10_000);
    if (SCREENSHOTS) {
      mkdirSync('docs/img', { recursive: true });
      writeFileSync(`docs/img/status-page-${width}.png`, shot);
    }
  });

  it('renders the badges as SVG images', async () => {
    const page = await open(1280);
    const ids = [w.monitors.api.id, w.monitors.web.id];
    const sizes = await page.evaluate(async (paths) => {
      const load = (src: string) =>
        new Promise<[number, number]>((resolve, reject) => {
          const img = new Image();
          img.onload = () => resolve([img.naturalWidth, img.naturalHeight]);
          img.onerror = () => reject(new Error(`could not load ${src}`));
          img.src = src;
        });
      return Promise.all(paths.map(load));
    }, ['/status/acme/badge.svg', ...ids.map((id) => `/status/acme/monitors/${id}/badge.svg`)]);
    for (const [width, height] of sizes) {
      expect(width).toBeGreaterThan(40);
      expect(height).toBe(20);
    }
  });

  it('made no request outside the service, and the browser reported no error (CSP included)', () => {
    expect(requested.some((u) => u.includes('/status/assets/status.'))).toBe(true);
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  });
});
