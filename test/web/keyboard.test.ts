import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserApp, PASSWORD, type BrowserApp } from './browser.js';

/**
 * A person who uses only the keyboard: every step below is Tab, typing and Enter, never a click.
 * The focus must land where the screen changed: on the field in error, or on the result. Then,
 * in the same browser, what the app says when the API does not answer: a lost connection or a
 * gateway's 503 (a banner that counts down to the next try), a session that ended meanwhile
 * (sign in, and back), and an address that is no screen.
 */
let b: BrowserApp;

beforeAll(async () => {
  b = await openBrowserApp();
}, 120_000);

afterAll(async () => {
  await b?.close();
});

/** What the focused element is called: its label for a field, its text for a button or a link. */
const focusedName = () =>
  b.page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '';
    const labelled = (el as HTMLInputElement).labels?.[0]?.textContent;
    return (el.getAttribute('aria-label') ?? labelled ?? el.textContent ?? '').trim();
  });

/** Presses Tab until the focused element is called `name` (the control is reachable by keyboard). */
async function tabTo(name: RegExp): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < 40; i++) {
    await b.page.keyboard.press('Tab');
    const now = await focusedName();
    if (name.test(now)) return;
    seen.push(now);
  }
  throw new Error(`Tab never reached ${name}; it went through: ${seen.join(' | ')}`);
}

describe('the app by keyboard alone', () => {
  it('signs in from a deep link and comes back to it, changes the password, and signs out', async () => {
    const { email } = await b.registerFresh();
    const next = `${PASSWORD} again`;
    await b.page.goto(`${b.t.baseUrl}/settings/password`);
    await b.page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await tabTo(/^Email/);
    await b.page.keyboard.type(email);
    await tabTo(/^Password/);
    await b.page.keyboard.type(PASSWORD);
    await b.page.keyboard.press('Enter');
    // Back where the person was going, not the dashboard.
    await b.page.getByRole('heading', { name: 'Change password' }).waitFor();
    expect(new URL(b.page.url()).pathname).toBe('/settings/password');
    await b.look('change-password');

    await tabTo(/^Current password/);
    await b.page.keyboard.type('not my password at all');
    await tabTo(/^New password/);
    await b.page.keyboard.type(next);
    await b.page.keyboard.press('Enter');
    // The refusal takes the focus: the field it names, or the notice that says it.
    await expect.poll(focusedName).toMatch(/current password|Current password/i);

    await b.page.keyboard.press('Control+A');
    await b.page.keyboard.type(PASSWORD);
    await b.page.keyboard.press('Enter');
    // Two Argon2 runs (check the current password, hash the new one) on a loaded machine.
    await expect.poll(focusedName, { timeout: 15_000 }).toMatch(/^Password changed/);

    await tabTo(/^Sign out$/);
    await b.page.keyboard.press('Enter');
    await b.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(b.outside).toEqual([]);
  }, 60_000);
});

describe('what the app says when the API does not answer', () => {
  const nav = (name: string) => b.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

  let email = '';

  it('a lost connection, then a 503 from a gateway: a banner says so and when it tries again, and goes once the API answers', async () => {
    ({ email } = await b.signInFresh());
    await b.page.route('**/internal/**', (route) => route.abort('internetdisconnected'));
    await nav('Alert contacts').click();
    const offline = b.page.getByRole('status').filter({ hasText: 'No connection to Vigil.' });
    await offline.waitFor();
    expect(await offline.innerText()).toMatch(/Trying again (in \d+ s\.|…)/);
    await b.look('connection-lost');
    await b.page.unroute('**/internal/**');
    await b.page.getByRole('heading', { name: 'Alert contacts', level: 1 }).waitFor();
    await offline.waitFor({ state: 'detached' });

    // A gateway's 503 (not the API's own answer): briefly unavailable, tried again after a wait.
    await b.page.route('**/internal/**', (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'Service Unavailable' }));
    await nav('Maintenance').click();
    const unavailable = b.page.getByRole('status').filter({ hasText: 'Vigil is briefly unavailable.' });
    await unavailable.waitFor();
    expect(await unavailable.innerText()).toMatch(/Trying again (in \d+ s\.|…)/);
    expect(await b.page.locator('main').innerText()).not.toMatch(/[{[]\s*"|Service Unavailable/);
    await b.page.unroute('**/internal/**');
    await b.page.getByRole('heading', { name: 'Maintenance windows' }).waitFor();
    await unavailable.waitFor({ state: 'detached' });
    expect(b.outside).toEqual([]);
  }, 60_000);

  it('a session that ends meanwhile sends the person to sign in, then back where they were going', async () => {
    await b.context.clearCookies();
    await nav('Status pages').click();
    await b.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(b.page.url()).searchParams.get('next')).toBe('/status-pages');
    await b.page.getByLabel('Email').fill(email);
    await b.page.getByLabel('Password').fill(PASSWORD);
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await b.page.getByRole('heading', { name: 'Status pages', level: 1 }).waitFor();
  }, 30_000);

  it('an address the app does not know says so and leads back', async () => {
    await b.page.goto(`${b.t.baseUrl}/no/such/screen`);
    await b.page.getByRole('heading', { name: /not found|no such page/i }).waitFor();
    await b.look('not-found');
  }, 30_000);
});
