import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checker/run.js';
import { openBrowserApp, type BrowserApp } from './browser.js';

/**
 * The live screens in a real browser: a target on 127.0.0.1 fails and recovers, the checks run
 * (the scheduler's turn, as in journey.test.ts), and the dashboard and the monitor's screen follow
 * without a reload; the dashboard filters through its address; the chart draws with its text
 * alternative.
 */
let b: BrowserApp;
let target: Server;
let failing = false;
let base = '';
const ids: Record<string, string> = {};

beforeAll(async () => {
  b = await openBrowserApp();
  target = createServer((req, res) => {
    res.statusCode = failing && req.url === '/shop' ? 503 : 200;
    res.end('ok');
  }).listen(0, '127.0.0.1');
  await new Promise((r) => target.once('listening', r));
  base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  target?.close();
  await b?.close();
});

/** A call as the signed-in browser makes it (its cookie, its origin). */
async function call(path: string, input: unknown): Promise<{ result: { data: { id: string } } }> {
  const cookie = (await b.context.cookies(b.t.baseUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
  const res = await fetch(`${b.t.baseUrl}/internal/${path}`, { method: 'POST', headers: { cookie, origin: b.origin, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  expect(res.status).toBe(200);
  return (await res.json()) as { result: { data: { id: string } } };
}

const row = (name: string) => b.page.getByRole('row', { name: new RegExp(name) });
/** Set before the change: still there after it, so the screen followed without a reload. */
const markPage = () => b.page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
const notReloaded = () => b.page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere === true);

describe('live screens', () => {
  it('the dashboard turns a failing monitor down, without a reload', async () => {
    await b.signInFresh();
    for (const [name, tag] of [['Shop', 'shop'], ['Blog', 'blog']] as const) {
      ids[name] = (await call('monitors.create', { name, url: `${base}/${tag}`, intervalSeconds: 300, tags: [tag] })).result.data.id;
    }
    await runCheck(b.t.svc, ids.Shop!);
    await runCheck(b.t.svc, ids.Blog!);
    await expect.poll(() => row('Shop').textContent(), { timeout: 15_000 }).toContain('Up');
    await markPage();
    failing = true;
    await runCheck(b.t.svc, ids.Shop!);
    await runCheck(b.t.svc, ids.Shop!);
    await expect.poll(() => row('Shop').textContent(), { timeout: 15_000 }).toContain('Down');
    expect(await row('Blog').textContent()).toContain('Up');
    expect(await notReloaded()).toBe(true);
    await b.look('dashboard');
  }, 40_000);

  it('the monitor’s screen shows the incident, then the recovery, without a reload; the chart draws with its text', async () => {
    await row('Shop').getByRole('link', { name: 'Shop' }).click();
    await b.page.getByRole('heading', { name: 'Shop' }).waitFor();
    await expect.poll(() => b.page.locator('.incidents').textContent(), { timeout: 15_000 }).toContain('Ongoing');
    // The chart: a canvas (uPlot, its own chunk) and the same figures in words and in a table.
    await b.page.locator('.chart canvas').first().waitFor();
    expect(await b.page.locator('.chart').getAttribute('aria-label')).toContain('Mean response time per hour');
    expect(await b.page.locator('.chart-summary').textContent()).toMatch(/Last 24 hours: mean \d+ ms.*3 checks, 2 failed/);
    await b.page.getByText('The figures as a table').click();
    expect(await b.page.getByRole('table', { name: /Mean response time per hour/ }).locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await b.page.getByRole('list', { name: /Uptime per day/ }).getByRole('listitem').count()).toBe(90);
    await b.page.getByRole('button', { name: '7 days' }).click();
    await expect.poll(() => b.page.locator('.chart-summary').textContent()).toContain('Last 7 days');
    await b.page.getByRole('button', { name: '24 hours' }).click();
    await markPage();
    failing = false;
    await runCheck(b.t.svc, ids.Shop!);
    await expect.poll(() => b.page.locator('.incidents').textContent(), { timeout: 15_000 }).toContain('Resolved');
    await expect.poll(() => b.page.locator('.status').first().textContent()).toContain('Up');
    expect(await notReloaded()).toBe(true);
    await b.look('monitor');
  }, 40_000);

  it('check now asked too soon says when it may be, counting down', async () => {
    await b.page.getByRole('button', { name: 'Check now' }).click();
    const alert = b.page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/You can try again in \d+ s/);
    const first = Number(/in (\d+) s/.exec((await alert.textContent()) ?? '')![1]);
    await expect.poll(() => alert.textContent(), { timeout: 5_000 }).not.toContain(`in ${first} s`);
  }, 20_000);

  it('filters the dashboard by tag, status and search, kept in the address across a reload', async () => {
    await b.page.getByRole('link', { name: '← Monitors' }).click();
    await row('Blog').waitFor();
    await b.page.getByLabel('Tag').selectOption('blog');
    await expect.poll(() => b.page.locator('tbody tr').count()).toBe(1);
    expect(new URL(b.page.url()).searchParams.get('tag')).toBe('blog');
    await b.page.reload();
    await row('Blog').waitFor();
    expect(await b.page.locator('tbody tr').count()).toBe(1);
    expect(await b.page.getByLabel('Tag').inputValue()).toBe('blog');
    await b.page.getByLabel('Tag').selectOption('');
    await b.page.getByLabel('Search').fill('sho');
    await expect.poll(() => b.page.locator('tbody tr').allTextContents()).toEqual([expect.stringContaining('Shop')]);
    await b.page.getByLabel('Search').fill('');
    await b.page.getByLabel('Status').selectOption('down');
    await b.page.getByText('No monitor matches these filters.').waitFor();
    await b.page.getByRole('link', { name: 'Show every monitor' }).click();
    await expect.poll(() => b.page.locator('tbody tr').count()).toBe(2);
  }, 30_000);

  it('made no request outside the service’s origin', () => {
    expect(b.outside).toEqual([]);
  });
});
