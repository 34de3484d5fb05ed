import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
const LIGHTHOUSE = 'lighthouse@12.2.3';
/**
 * Lighthouse is installed once into a cache folder outside the repo, not in package.json: it and its
 * 140-odd packages would slow every `npm ci` (CI, the image build, each engineer) for a figure only
 * this section reads. The version is pinned here; the folder is named after it.
 */
const LIGHTHOUSE_DIR = process.env.LIGHTHOUSE_DIR ?? join(homedir(), '.cache', 'vigil-bench', LIGHTHOUSE.replace('@', '-'));
/** The parts of the section, in order; `WEB_PARTS=lighthouse npm run bench -- web` runs only those named, keeping the others' last figures. */
const PARTS = ['bundles', 'usable', 'polls', 'lighthouse'] as const;
type Part = (typeof PARTS)[number];
const CAPTIONS: Record<Part, string> = {
  bundles: 'JavaScript per screen, gzipped',
  usable: 'Time to a usable dashboard',
  polls: 'A steady dashboard',
  lighthouse: 'Lighthouse',
};
const run = promisify(execFile);

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
  const parts = new Set<Part>(process.env.WEB_PARTS ? (process.env.WEB_PARTS.split(',') as Part[]) : PARTS);
  const unknown = [...parts].filter((p) => !PARTS.includes(p));
  if (unknown.length) throw new Error(`WEB_PARTS: unknown ${unknown.join(', ')}; choose from ${PARTS.join(', ')}`);
  if (process.env.WEB_LIGHTHOUSE === '0') parts.delete('lighthouse');
  const lighthouseCli = parts.has('lighthouse') ? installLighthouse() : undefined;
  execFileSync('npx', ['tsx', 'scripts/build-web.ts'], { cwd: ROOT, stdio: 'ignore' });
  const tables: SectionResult['tables'] = [];
  if (parts.has('bundles')) {
    tables.push({
      caption: `${CAPTIONS.bundles} (budgets: sign-in first load ≤ 120 KB, every screen ≤ 200 KB)`,
      rows: screenBundles(WEB_DIST).map((b) => ({ screen: b.screen, 'first load, KB': fmt(b.firstLoadGzipBytes / 1024), 'with on-demand chunks, KB': fmt(b.jsGzipBytes / 1024) })),
    });
  }

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], headless: true });
  const usable: Row[] = [];
  const polls: Row[] = [];
  const lighthouse: Row[] = [];
  try {
    for (const monitors of [50, 500]) {
      if (monitors === 50 && !parts.has('usable') && !parts.has('polls')) continue;
      const site = await startSite(monitors);
      try {
        for (const throttled of parts.has('usable') ? [false, true] : []) {
          const times: number[] = [];
          for (let i = 0; i < RUNS; i++) times.push(await timeToUsableDashboard(browser, site, throttled));
          usable.push({ monitors: String(monitors), network: throttled ? 'Slow 4G' : 'loopback', 'ms to a usable dashboard (median)': fmt(median(times), 0), runs: `${fmt(Math.min(...times), 0)}–${fmt(Math.max(...times), 0)}` });
        }
        if (parts.has('polls')) polls.push({ monitors: String(monitors), ...(await steadyPolls(browser, site)) });
        if (monitors === 500 && lighthouseCli) {
          const cli = await lighthouseCli;
          for (const [name, path] of [['sign-in', '/sign-in'], ['dashboard', '/']] as const) {
            for (const preset of ['desktop', 'mobile'] as const) lighthouse.push({ page: name, preset, ...(await runLighthouse(cli, site, path, preset)) });
          }
        }
      } finally {
        await site.close();
      }
    }
  } finally {
    await browser.close();
  }
  if (parts.has('usable')) tables.push({ caption: `${CAPTIONS.usable} (navigation to its first monitor row), cold cache`, rows: usable });
  if (parts.has('polls')) tables.push({ caption: `${CAPTIONS.polls}, nothing changing, watched for ${STEADY_MS / 1000} s`, rows: polls });
  if (parts.has('lighthouse')) tables.push({ caption: `${CAPTIONS.lighthouse} 12.2.3 (its CLI, Debian chromium headless), 500 monitors`, rows: lighthouse });
  return {
    id: 'web',
    title: 'The web app',
    method: `The production build (scripts/build-web.ts) served by the app on 127.0.0.1, as \`npm start\` does; one Team account with 50 or 500 monitors and a day of 5-minute checks. Chromium ${browser.version()} headless, a fresh context per run (${RUNS} runs), throttled runs through the DevTools protocol's network emulation (150 ms, 1.6 Mbps / 750 kbps; CPU not throttled). Poll bytes are the encoded sizes of /internal responses; database round trips are counted at the libSQL client while the polls are served (the in-process alert and mail dispatcher is stopped meanwhile: it is not the dashboard's, and on AWS it is not in the API's process). Lighthouse runs its own simulated throttling per preset (desktop; mobile: Moto G Power, Slow 4G, CPU ×4), signed in by a Cookie header (\`--extra-headers\`); it is installed on first use into ${LIGHTHOUSE_DIR.replace(homedir(), '~')}, not package.json. One part alone: \`WEB_PARTS=lighthouse npm run bench -- web\` (parts: ${PARTS.join(', ')}).`,
    tables: [...tables, ...keptTables(parts)],
  };
}

/** The last run's tables of the parts not run this time, so RESULTS.md keeps the whole section. */
function keptTables(parts: Set<Part>): SectionResult['tables'] {
  const file = join(ROOT, 'bench/results/web.json');
  if (parts.size === PARTS.length || !existsSync(file)) return [];
  const last = JSON.parse(readFileSync(file, 'utf8')) as SectionResult;
  const skipped = PARTS.filter((p) => !parts.has(p)).map((p) => CAPTIONS[p]);
  return last.tables.filter((t) => skipped.some((c) => t.caption?.startsWith(c)));
}

/** The pinned Lighthouse in its cache folder, installed (asynchronously, with time to spare) on first use; resolves to its CLI. */
async function installLighthouse(): Promise<string> {
  const cli = join(LIGHTHOUSE_DIR, 'node_modules/lighthouse/cli/index.js');
  if (existsSync(cli)) return cli;
  mkdirSync(LIGHTHOUSE_DIR, { recursive: true });
  await run('npm', ['install', '--prefix', LIGHTHOUSE_DIR, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', LIGHTHOUSE], { timeout: 15 * 60_000 });
  return cli;
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
  // The in-process alert and mail dispatcher polls on its own timer, whoever is signed in (on AWS it
  // is not in the API's process at all): stopped, so the round trips counted are the dashboard's.
  svc.alerts.stop();
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

async function runLighthouse(cli: string, site: Site, path: string, preset: 'desktop' | 'mobile'): Promise<Row> {
  const out = join(tempDir('lighthouse'), 'report.json');
  const args = [
    cli, `${site.origin}${path}`,
    '--quiet', '--output=json', `--output-path=${out}`, '--only-categories=performance,accessibility',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
    `--extra-headers=${JSON.stringify({ Cookie: site.cookie })}`,
    ...(preset === 'desktop' ? ['--preset=desktop'] : []),
  ];
  try {
    await run(process.execPath, args, { env: { ...process.env, CHROME_PATH: CHROMIUM }, timeout: 5 * 60_000 });
    const report = JSON.parse(readFileSync(out, 'utf8')) as LighthouseReport;
    if (process.env.WEB_LIGHTHOUSE_KEEP) writeFileSync(join(process.env.WEB_LIGHTHOUSE_KEEP, `${path.replace(/\W/g, '') || 'dashboard'}-${preset}.json`), JSON.stringify(report));
    const score = (c: string) => String(Math.round((report.categories[c]?.score ?? 0) * 100));
    return {
      performance: score('performance'),
      accessibility: score('accessibility'),
      'FCP ms': fmt(report.audits['first-contentful-paint']?.numericValue ?? NaN, 0),
      'LCP ms': fmt(report.audits['largest-contentful-paint']?.numericValue ?? NaN, 0),
      'TBT ms': fmt(report.audits['total-blocking-time']?.numericValue ?? NaN, 0),
      'below 100': failing(report),
    };
  } catch (error) {
    writeFileSync(join(ROOT, 'bench/results/lighthouse-error.txt'), String(error));
    return { performance: 'failed', accessibility: 'failed' };
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}

type LighthouseReport = {
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { score: number | null; numericValue?: number }>;
};

/** The weighted audits that cost points, so a score below target says why. */
function failing(report: LighthouseReport): string {
  const ids = Object.values(report.categories).flatMap((c) => c.auditRefs.filter((r) => r.weight > 0).map((r) => r.id));
  return ids.filter((id) => (report.audits[id]?.score ?? 1) < 0.9).join(', ') || '—';
}
