import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { simpleParser } from 'mailparser';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { runCheck } from '../../src/checker/run.js';
import { monitors } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { WEB_DIST } from './support.js';

/**
 * The web app in a real browser (Debian's chromium through playwright-core), against the real
 * service on its own origin: a new person signs up, confirms from the mailed link, signs in, and
 * signs out. `WEB_SCREENSHOTS=1` also writes docs/img/app-*.png.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = process.env.WEB_SCREENSHOTS === '1';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PASSWORD = 'correct horse battery staple';

let t: TestApp;
let mailDir: string;
let profile: string;
let context: BrowserContext;
let page: Page;
const outside: string[] = [];

/** A free loopback port, so the app's origin (APP_ORIGINS) is known before it starts. */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The link of the newest mail whose text holds `path`, as the person would click it. */
async function mailedLink(path: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const files = existsSync(mailDir) ? readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
    for (const f of files.sort().reverse()) {
      const mail = await simpleParser(readFileSync(join(mailDir, f)));
      const m = new RegExp(`${path}#token=([A-Za-z0-9_-]+)`).exec(mail.text ?? '');
      if (m) return `${t.baseUrl}${path}#token=${m[1]}`;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail with ${path}`);
}

async function seriousViolations(): Promise<string[]> {
  // Through the debugging protocol: the page's own CSP (no inline script) refuses a script tag.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run(document);
    return r.violations;
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

async function look(name: string): Promise<void> {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    expect(await seriousViolations(), `${name} at ${width}px`).toEqual([]);
    if (SCREENSHOTS) await page.screenshot({ path: `docs/img/app-${name}-${width}.png`, fullPage: true });
  }
}

beforeAll(async () => {
  const port = await freePort();
  mailDir = mkdtempSync(join(tmpdir(), 'vigil-web-mail-'));
  t = await startTestApp({
    port,
    webApp: WEB_DIST,
    env: { APP_ORIGINS: `http://127.0.0.1:${port}`, APP_URL: `http://127.0.0.1:${port}`, MAIL_DIR: mailDir },
  });
  profile = mkdtempSync(join(tmpdir(), 'vigil-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });
  const origin = new URL(t.baseUrl).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin || url.startsWith('data:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (mailDir) rmSync(mailDir, { recursive: true, force: true });
  await t?.close();
});

describe('a new person in the browser', () => {
  const email = `web-${Math.random().toString(36).slice(2)}@example.com`;

  it('is sent to sign in from a screen behind it, and the sign-in screen is accessible', async () => {
    await page.goto(`${t.baseUrl}/settings/password`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await look('sign-in');
  }, 60_000);

  it('signs up and is told to check their email; a bad email is named beside its field', async () => {
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('.field-error').count()).toBeGreaterThan(0);
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  }, 60_000);

  it('confirms the email from the mailed link with their password, the token never sent as a Referer', async () => {
    const link = await mailedLink('/verify-email');
    const referers: string[] = [];
    page.on('request', (r) => {
      const ref = r.headers()['referer'];
      if (ref) referers.push(ref);
    });
    await page.goto(link);
    await page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
    // The token has left the address bar (and so the history and any later Referer).
    expect(page.url()).not.toContain('token=');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Confirm email' }).click();
    await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
    expect(referers.filter((r) => r.includes('token'))).toEqual([]);
  }, 60_000);

  it('signs in, lands on the dashboard, and signs out; the old session is then refused', async () => {
    await page.getByRole('link', { name: 'Sign in to Vigil' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Monitors' }).waitFor();
    await look('dashboard-empty');
    // The person adds a monitor from the empty state; a bad URL is named beside its field first.
    const target = createHttpServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
    await new Promise((r) => target.once('listening', r));
    const url = `http://127.0.0.1:${(target.address() as { port: number }).port}/`;
    await page.getByRole('link', { name: 'Add your first monitor' }).click();
    await page.getByRole('heading', { name: 'Add a monitor' }).waitFor();
    await look('new-monitor');
    await page.getByLabel('Name', { exact: true }).fill('Home page');
    await page.getByLabel('URL', { exact: true }).fill('ftp://example.com/');
    await page.getByRole('button', { name: 'Add monitor' }).click();
    await expect.poll(() => page.getByLabel('URL', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error').first().textContent()).toContain('http or https');
    await page.getByLabel('URL', { exact: true }).fill(url);
    await page.getByRole('button', { name: 'Add monitor' }).click();
    await page.getByRole('heading', { name: 'Monitors' }).waitFor();
    await page.getByRole('row', { name: /Home page/ }).waitFor();
    // The scheduler's turn comes (this harness attaches no timers): the check runs and records,
    // and the dashboard shows it without a reload.
    const [created] = await t.svc.db.select({ id: monitors.id }).from(monitors).where(eq(monitors.name, 'Home page'));
    await runCheck(t.svc, created!.id);
    const row = page.getByRole('row', { name: /Home page/ });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Up');
    await look('dashboard');
    // The monitor's own screen: its state, its check, and pause and delete (asked twice).
    await page.getByRole('link', { name: 'Home page' }).click();
    await page.getByRole('heading', { name: 'Home page' }).waitFor();
    await page.getByRole('heading', { name: 'Recent checks' }).waitFor();
    await expect.poll(() => page.locator('table').textContent()).toContain('OK (200)');
    await look('monitor');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await expect.poll(() => page.locator('.status').first().textContent()).toContain('Paused');
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: 'Delete Home page and its history' }).click();
    await page.getByRole('link', { name: 'Add your first monitor' }).waitFor();
    target.close();
    const cookies = await context.cookies(t.baseUrl);
    const session = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect(session).not.toBe('');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const res = await fetch(`${t.baseUrl}/internal/auth.me`, { headers: { cookie: session } });
    expect(res.status).toBe(401);
  }, 60_000);

  it('made no request outside the service’s origin', () => {
    expect(outside).toEqual([]);
  });
});
