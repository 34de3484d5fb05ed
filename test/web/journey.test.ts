import { createServer as createHttpServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { runCheck } from '../../src/checker/run.js';
import { monitors } from '../../src/db/schema.js';
import { openBrowserApp, PASSWORD, type BrowserApp } from './browser.js';

/**
 * A new person in a real browser, against the real service on its own origin: signs up, confirms
 * from the mailed link, signs in, adds a monitor and sees it up, and signs out.
 */
let b: BrowserApp;

beforeAll(async () => {
  b = await openBrowserApp();
}, 120_000);

afterAll(async () => {
  await b?.close();
});

describe('a new person in the browser', () => {
  const email = `web-${Math.random().toString(36).slice(2)}@example.com`;

  it('is sent to sign in from a screen behind it, and the sign-in screen is accessible', async () => {
    await b.page.goto(`${b.t.baseUrl}/settings/password`);
    await b.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(b.page.url()).pathname).toBe('/sign-in');
    await b.look('sign-in');
  }, 60_000);

  it('signs up and is told to check their email; a bad email is named beside its field', async () => {
    await b.page.getByRole('link', { name: 'Create an account' }).click();
    await b.page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await b.look('sign-up');
    await b.page.getByLabel('Email').fill('not-an-email');
    await b.page.getByLabel('Password').fill(PASSWORD);
    await b.page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => b.page.locator('.field-error').count()).toBeGreaterThan(0);
    await b.page.getByLabel('Email').fill(email);
    await b.page.getByRole('button', { name: 'Create account' }).click();
    await b.page.getByRole('heading', { name: 'Check your email' }).waitFor();
  }, 60_000);

  it('confirms the email from the mailed link with their password, the token never sent as a Referer', async () => {
    const link = await b.mailedLink('/verify-email');
    const referers: string[] = [];
    b.page.on('request', (r) => {
      const ref = r.headers()['referer'];
      if (ref) referers.push(ref);
    });
    await b.page.goto(link);
    await b.page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
    await b.look('verify-email');
    // The token has left the address bar (and so the history and any later Referer).
    expect(b.page.url()).not.toContain('token=');
    await b.page.getByLabel('Password').fill(PASSWORD);
    await b.page.getByRole('button', { name: 'Confirm email' }).click();
    await b.page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
    expect(referers.filter((r) => r.includes('token'))).toEqual([]);
  }, 60_000);

  it('signs in, lands on the dashboard, and signs out; the old session is then refused', async () => {
    await b.page.getByRole('link', { name: 'Sign in to Vigil' }).click();
    await b.page.getByLabel('Email').fill(email);
    await b.page.getByLabel('Password').fill(PASSWORD);
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await b.page.getByRole('heading', { name: 'Monitors' }).waitFor();
    await b.look('dashboard-empty');
    // The person adds a monitor from the empty state; a bad URL is named beside its field first.
    const target = createHttpServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
    await new Promise((r) => target.once('listening', r));
    const url = `http://127.0.0.1:${(target.address() as { port: number }).port}/`;
    await b.page.getByRole('link', { name: 'Add your first monitor' }).click();
    await b.page.getByRole('heading', { name: 'Add a monitor' }).waitFor();
    await b.look('new-monitor-empty');
    await b.page.getByLabel('Name', { exact: true }).fill('Home page');
    await b.page.getByLabel('URL', { exact: true }).fill('ftp://example.com/');
    await b.page.getByRole('button', { name: 'Add monitor' }).click();
    await expect.poll(() => b.page.getByLabel('URL', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await b.page.locator('.field-error').first().textContent()).toContain('http or https');
    await b.page.getByLabel('URL', { exact: true }).fill(url);
    await b.page.getByRole('button', { name: 'Add monitor' }).click();
    await b.page.getByRole('heading', { name: 'Monitors' }).waitFor();
    await b.page.getByRole('row', { name: /Home page/ }).waitFor();
    // The scheduler's turn comes (this harness attaches no timers): the check runs and records,
    // and the dashboard shows it without a reload.
    const [created] = await b.t.svc.db.select({ id: monitors.id }).from(monitors).where(eq(monitors.name, 'Home page'));
    await runCheck(b.t.svc, created!.id);
    const row = b.page.getByRole('row', { name: /Home page/ });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Up');
    await b.look('dashboard-first-monitor');
    // The monitor's own screen: its state, its check, and pause and delete (asked twice).
    await b.page.getByRole('link', { name: 'Home page' }).click();
    await b.page.getByRole('heading', { name: 'Home page' }).waitFor();
    await b.page.getByRole('heading', { name: 'Recent checks' }).waitFor();
    await expect.poll(() => b.page.getByRole('table', { name: 'Recent checks' }).textContent()).toContain('OK (200)');
    await b.look('first-monitor');
    await b.page.getByRole('button', { name: 'Pause' }).click();
    await b.page.getByRole('button', { name: 'Resume' }).waitFor();
    await expect.poll(() => b.page.locator('.status').first().textContent()).toContain('Paused');
    await b.page.getByRole('button', { name: 'Delete…' }).click();
    await b.page.getByRole('button', { name: 'Delete Home page and its history' }).click();
    await b.page.getByRole('link', { name: 'Add your first monitor' }).waitFor();
    target.close();
    const cookies = await b.context.cookies(b.t.baseUrl);
    const session = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect(session).not.toBe('');
    await b.page.getByRole('button', { name: 'Sign out' }).click();
    await b.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const res = await fetch(`${b.t.baseUrl}/internal/auth.me`, { headers: { cookie: session } });
    expect(res.status).toBe(401);
  }, 60_000);

  it('made no request outside the service’s origin', () => {
    expect(b.outside).toEqual([]);
  });
});
