import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { screenBundles } from '../../scripts/web-bundle.js';
import { createApp } from '../../src/app.js';
import { buildApiServices } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { migrateDb } from '../../src/db/migrate.js';
import { createLogger } from '../../src/log.js';
import { benchEnv, countDb, fmt, median, noopScheduler, ORIGIN, ROOT, tempDir, type Row, type SectionResult } from '../lib.js';
import { insertHistory, insertMonitors, registerUser } from '../seed.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WEB_DIST = join(ROOT, 'web/dist');
const RUNS = Number(process.env.WEB_RUNS ?? 5);
/** Lighthouse's "Slow 4G" (its mobile default): 150 ms round trip, 1.6 Mbps down, 750 kbps up. */
const FOUR_G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
/** How long the steady dashboard is watched for its polls. */
const STEADY_MS = 21_000;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * The web app as people get it: the production build served by the real app on its own origin,
 * in Debian's chromium. JavaScript per screen from the build manifest; the time from navigation to
 * a usable dashboard (its first monitor row on screen) with 50 and 500 monitors, cold cache, on
 * loopback and throttled to Lighthouse's Slow 4G; the bytes and database round trips of a poll
 * when nothing changed; and Lighthouse 12.2.3's performance and accessibility scores.
 */
export async function webBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  execFileSync('npx', ['tsx', 'scripts/build-web.ts'], { cwd: ROOT, stdio: 'ignore' });
  const bundles = screenBundles(WEB_DIST);
  const tables: SectionResult['tables'] = [
    {
      caption: 'JavaScript per screen, gzipped (budgets: sign-in first load ≤ 120 KB, every screen ≤ 200 KB)',
      rows: bundles.map((b) => ({ screen: b.screen, 'first load, KB': fmt(b.firstLoadGzipBytes / 1024), 'with on-demand chunks, KB': fmt(b.jsGzipBytes / 1024) })),
    },
  ];

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], headless: true });
  const usable: Row[] = [];
  const polls: Row[] = [];
  const lighthouse: Row[] = [];
  try {
    for (const monitors of [50, 500]) {
      const site = await startSite(monitors);
      try {
        for (const throttled of [false, true]) {
          const times: number[] = [];
          for (let i = 0; i < RUNS; i++) times.push(await timeToUsableDashboard(browser, site, throttled));
          usable.push({ monitors: String(monitors), network: throttled ? 'Slow 4G' : 'loopback', 'ms to a usable dashboard (median)': fmt(median(times), 0), runs: `${fmt(Math.min(...times), 0)}–${fmt(Math.max(...times), 0)}` });
        }
        polls.push({ monitors: String(monitors), ...(await steadyPolls(browser, site)) });
        if (monitors === 500 && process.env.WEB_LIGHTHOUSE !== '0') {
          for (const [name, path] of [['sign-in', '/sign-in'], ['dashboard', '/']] as const) {
            for (const preset of ['desktop', 'mobile'] as const) lighthouse.push({ page: name, preset, ...runLighthouse(site, path, preset) });
          }
        }
      } finally {
        await site.close();
      }
    }
  } finally {
    await browser.close();
  }
  tables.push({ caption: 'Time to a usable dashboard (navigation to its first monitor row), cold cache', rows: usable });
  tables.push({ caption: `A steady dashboard, nothing changing, watched for ${STEADY_MS / 1000} s`, rows: polls });
  if (lighthouse.length) tables.push({ caption: 'Lighthouse 12.2.3 (npx -y lighthouse@12.2.3), 500 monitors', rows: lighthouse });
  return {
    id: 'web',
    title: 'The web app',
    method: `The production build (scripts/build-web.ts) served by the app on 127.0.0.1, as \`npm start\` does; one Team account with 50 or 500 monitors and a day of 5-minute checks. Chromium ${browser.version()} headless, a fresh context per run (${RUNS} runs), throttled runs through the DevTools protocol's network emulation (150 ms, 1.6 Mbps / 750 kbps; CPU not throttled). Poll bytes are the encoded sizes of /internal responses; database round trips are counted at the libSQL client.`,
    tables,
  };
}

type Site = Awaited<ReturnType<typeof startSite>>;

async function startSite(monitors: number) {
  const dir = tempDir('web');
  const dbFile = join(dir, 'vigil.db');
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...benchEnv(dbFile), APP_ORIGINS: `${origin},${ORIGIN}`, APP_URL: origin });
  const svc = await buildApiServices(config, { log: createLogger(() => undefined), scheduler: noopScheduler });
  await migrateDb(svc.db);
  const app = createApp(svc, { internal: true, public: true, statusPages: true, webApp: WEB_DIST });
  const user = await registerUser(app, svc, `bench-web-${monitors}@example.com`, 'team');
  const now = Date.now();
  const ids = await insertMonitors(svc, user.accountId, monitors, { now });
  await insertHistory(svc, ids, { days: 1, everySeconds: 300, now });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const [name, value] = user.cookie.split('=') as [string, string];
  return {
    origin,
    cookie: user.cookie,
    session: { name, value, domain: '127.0.0.1', path: '/', httpOnly: true, secure: true, sameSite: 'Strict' as const },
    counter: () => countDb(svc.db.$client),
    async close() {
      await new Promise((r) => server.close(r));
      svc.db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function timeToUsableDashboard(browser: Browser, site: Site, throttled: boolean): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addCookies([site.session]);
    const page = await context.newPage();
    if (throttled) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', FOUR_G);
    }
    const started = performance.now();
    await page.goto(`${site.origin}/`);
    await page.getByRole('link', { name: /^Monitor \d+$/ }).first().waitFor({ timeout: 60_000 });
    return performance.now() - started;
  } finally {
    await context.close();
  }
}

async function steadyPolls(browser: Browser, site: Site): Promise<Row> {
  const context = await browser.newContext();
  try {
    await context.addCookies([site.session]);
    const page = await context.newPage();
    await page.goto(`${site.origin}/`);
    await page.getByRole('link', { name: /^Monitor \d+$/ }).first().waitFor({ timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const internal = new Set<string>();
    let bytes = 0;
    let requests = 0;
    cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => {
      if (new URL(e.request.url).pathname.startsWith('/internal/')) internal.add(e.requestId);
    });
    cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
      if (!internal.has(e.requestId)) return;
      requests++;
      bytes += e.encodedDataLength;
    });
    const db = site.counter();
    await page.waitForTimeout(STEADY_MS);
    db.restore();
    return {
      'polls (requests)': String(requests),
      'bytes per poll': requests ? fmt(bytes / requests, 0) : '—',
      'database round trips per poll': requests ? fmt(db.roundTrips / requests, 1) : '—',
    };
  } finally {
    await context.close();
  }
}

function runLighthouse(site: Site, path: string, preset: 'desktop' | 'mobile'): Row {
  const out = join(tempDir('lighthouse'), 'report.json');
  const args = [
    '-y', 'lighthouse@12.2.3', `${site.origin}${path}`,
    '--quiet', '--output=json', `--output-path=${out}`, '--only-categories=performance,accessibility',
    '--chrome-flags=--headless --no-sandbox --disable-gpu',
    `--extra-headers=${JSON.stringify({ Cookie: site.cookie })}`,
    ...(preset === 'desktop' ? ['--preset=desktop'] : []),
  ];
  try {
    execFileSync('npx', args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, CHROME_PATH: CHROMIUM }, timeout: 180_000 });
    const report = JSON.parse(readFileSync(out, 'utf8')) as { categories: Record<string, { score: number | null }>; audits: Record<string, { numericValue?: number }> };
    const score = (c: string) => String(Math.round((report.categories[c]?.score ?? 0) * 100));
    return {
      performance: score('performance'),
      accessibility: score('accessibility'),
      'LCP ms': fmt(report.audits['largest-contentful-paint']?.numericValue ?? NaN, 0),
      'TBT ms': fmt(report.audits['total-blocking-time']?.numericValue ?? NaN, 0),
    };
  } catch (error) {
    writeFileSync(join(ROOT, 'bench/results/lighthouse-error.txt'), String(error));
    return { performance: 'failed', accessibility: 'failed' };
  }
}
