import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { rememberSecret } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { WEB_DIST } from './support.js';

/**
 * The web app in a real browser (Debian's chromium through playwright-core), against the real
 * service on its own origin, for every browser test file: one app, one browser profile, the mail
 * the service sends, axe-core at both widths, and every request that leaves the origin recorded
 * (and refused). `WEB_SCREENSHOTS=1` makes `look()` write docs/img/app-<name>-<width>.png.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = process.env.WEB_SCREENSHOTS === '1';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const PASSWORD = 'correct horse battery staple';

export type BrowserApp = Awaited<ReturnType<typeof openBrowserApp>>;

/** A free loopback port, so the app's origin (APP_ORIGINS) is known before it starts. */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function openBrowserApp(opts: { env?: Record<string, string> } = {}) {
  const port = await freePort();
  const mailDir = mkdtempSync(join(tmpdir(), 'vigil-web-mail-'));
  const origin = `http://127.0.0.1:${port}`;
  const t: TestApp = await startTestApp({
    port,
    webApp: WEB_DIST,
    // One origin for the app, its API and the public pages (as behind CloudFront), so links between them stay inside.
    env: { APP_ORIGINS: origin, APP_URL: origin, PUBLIC_BASE_URL: origin, MAIL_DIR: mailDir, ...opts.env },
  });
  const outside: string[] = [];
  const profiles: string[] = [];
  /** A browser of its own (own profile, so its own cookies), on the app's origin only. */
  async function launch(): Promise<{ context: BrowserContext; page: Page }> {
    const profile = mkdtempSync(join(tmpdir(), 'vigil-chromium-'));
    profiles.push(profile);
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin || url.startsWith('data:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    return { context, page: context.pages()[0] ?? (await context.newPage()) };
  }
  const { context, page } = await launch();
  const others: BrowserContext[] = [];

  /** Every mail sent so far, newest first: its recipients and its text. */
  async function mails(): Promise<{ to: string; text: string }[]> {
    const files = existsSync(mailDir) ? readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
    const parsed = [];
    for (const f of files.sort().reverse()) {
      const mail = await simpleParser(readFileSync(join(mailDir, f)));
      const to = [mail.to ?? []].flat().map((a) => a.text).join(', ');
      parsed.push({ to, text: mail.text ?? '' });
    }
    return parsed;
  }

  /**
   * The first match of `pattern` in the newest mail that has one (sent to `to`, when given),
   * waiting for the mail to arrive.
   */
  async function fromMail(pattern: RegExp, to?: string): Promise<RegExpExecArray> {
    for (let i = 0; i < 100; i++) {
      for (const mail of await mails()) {
        const m = pattern.exec(mail.text);
        if (m && (to === undefined || mail.to.includes(to))) return m;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no mail matching ${pattern}${to ? ` to ${to}` : ''}`);
  }

  /** The first match of `pattern` in the newest text message to `to` (the local file transport), waiting for it. */
  async function fromSms(pattern: RegExp, to: string): Promise<RegExpExecArray> {
    const { sms } = t.svc.config;
    if (sms.transport !== 'file') throw new Error('texts are read from the file transport');
    for (let i = 0; i < 100; i++) {
      const files = existsSync(sms.dir) ? readdirSync(sms.dir).filter((f) => f.endsWith('.txt')) : [];
      for (const f of files.sort().reverse()) {
        const text = readFileSync(join(sms.dir, f), 'utf8');
        const m = pattern.exec(text);
        if (m && text.startsWith(`To: ${to}\n`)) return m;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no text matching ${pattern} to ${to}`);
  }

  async function seriousViolations(page: Page): Promise<string[]> {
    // Through the debugging protocol: the page's own CSP (no inline script) refuses a script tag.
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const r = await (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run(document);
      return r.violations;
    });
    return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  }

  async function registerFresh(email = `web-${Math.random().toString(36).slice(2)}@example.com`, password = PASSWORD) {
    rememberSecret(password);
    const call = (path: string, body: unknown) =>
      fetch(`${t.baseUrl}/internal/${path}`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await call('auth.register', { email, password })).status).toBe(200);
    const [, token] = await fromMail(/\/verify-email#token=([A-Za-z0-9_-]+)/, email);
    expect((await call('auth.verifyEmail', { token, password })).status).toBe(200);
    return { email, password };
  }

  return {
    t,
    origin,
    context,
    page,
    /** Every URL the page tried to reach outside the service's origin (each was refused). */
    outside,
    fromMail,
    fromSms,
    /** The link of the newest mail whose text holds `path#token=…`, as the person would click it. */
    async mailedLink(path: string, to?: string): Promise<string> {
      const m = await fromMail(new RegExp(`${path}#token=([A-Za-z0-9_-]+)`), to);
      return `${t.baseUrl}${path}#token=${m[1]}`;
    },
    /** axe-core finds no serious or critical violation at 390 and 1280 px (and a screenshot when asked); on `on`, another person's page. */
    async look(name: string, on: Page = page): Promise<void> {
      const page = on;
      const sizes = [
        { width: 390, height: 844 },
        { width: 1280, height: 800 },
      ];
      for (const size of sizes) {
        await page.setViewportSize(size);
        expect(await seriousViolations(page), `${name} at ${size.width}px`).toEqual([]);
      }
      // After every check, so that a full-page capture (which lays the page out at its whole
      // height for a moment) can never change what axe sees, nor the page the test goes on with.
      if (SCREENSHOTS) {
        for (const size of sizes) {
          await page.setViewportSize(size);
          await page.screenshot({ path: `docs/img/app-${name}-${size.width}.png`, fullPage: true, animations: 'disabled', caret: 'hide' });
        }
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    },
    /** A fresh account, registered and confirmed through the API (the sign-up screens have their own journey). */
    registerFresh,
    /** A fresh account (registerFresh), signed in through the sign-in screen: the page lands on the dashboard. */
    async signInFresh(email?: string, password = PASSWORD) {
      const account = await registerFresh(email, password);
      await page.goto(`${t.baseUrl}/sign-in`);
      await page.getByLabel('Email').fill(account.email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Monitors' }).waitFor();
      return account;
    },
    /** A second person in a browser of their own, on the same app (its requests outside the origin land in `outside` too). */
    async newPerson(): Promise<{ context: BrowserContext; page: Page }> {
      const person = await launch();
      others.push(person.context);
      return person;
    },
    async close() {
      for (const c of others) await c.close();
      await context.close();
      for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
      rmSync(mailDir, { recursive: true, force: true });
      await t.close();
    },
  };
}
