import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserApp, PASSWORD, type BrowserApp } from './browser.js';

/**
 * A person who uses only the keyboard: every step below is Tab, typing and Enter, never a click.
 * The focus must land where the screen changed: on the field in error, or on the result.
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
    await expect.poll(focusedName).toMatch(/^Password changed/);

    await tabTo(/^Sign out$/);
    await b.page.keyboard.press('Enter');
    await b.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(b.outside).toEqual([]);
  }, 60_000);
});
