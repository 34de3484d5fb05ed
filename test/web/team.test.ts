import { eq } from 'drizzle-orm';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, users } from '../../src/db/schema.js';
import { PERMISSIONS, ROLES } from '../../src/domain/permissions.js';
import { MAY, ROLES as APP_ROLES } from '../../web/src/ui/roles.js';
import { rememberSecret } from '../support/ledger.js';
import { openBrowserApp, PASSWORD, type BrowserApp } from './browser.js';

/**
 * The team in two browsers: an owner invites a colleague through the mailed link, the colleague
 * signs in from it, accepts and switches account; the owner makes them a viewer, and the viewer's
 * refusals are said in words. Then an API client whose secret is shown once and works at
 * /oauth/token, the audit log and the plan, and a forgotten password reset from its mailed link.
 */
let b: BrowserApp;
let owner: { email: string; accountId: string };
let mate: { email: string; page: Page };

beforeAll(async () => {
  b = await openBrowserApp();
}, 120_000);

afterAll(async () => {
  await b?.close();
});

async function accountIdOf(email: string): Promise<string> {
  const [row] = await b.t.svc.db.select({ accountId: users.accountId }).from(users).where(eq(users.email, email));
  return row!.accountId;
}

/** A link of the app's main navigation. */
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/** What a person reads on the page: never a raw JSON error. */
async function noRawJson(page: Page): Promise<void> {
  expect(await page.locator('main').innerText()).not.toMatch(/[{[]\s*"/);
}

/**
 * On the confirmation link's screen: confirms with the password, is told the invitation waits,
 * signs in from the link offered and accepts the invitation it leads back to.
 */
async function confirmSignInAndAccept(page: Page, email: string): Promise<void> {
  await page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Confirm email' }).click();
  await page.getByText('You have an invitation to a team: once you sign in, you come back to it to accept it.').waitFor();
  await page.getByRole('link', { name: 'Sign in to Vigil' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`You are signed in as ${email}`).waitFor();
  await page.getByRole('button', { name: 'Accept the invitation' }).click();
}

describe('the team in the browser', () => {
  it('the app holds the same role table as the server for what it hides', () => {
    expect(APP_ROLES).toEqual(ROLES);
    for (const [permission, roles] of Object.entries(MAY)) expect(roles, permission).toEqual(PERMISSIONS[permission as keyof typeof MAY]);
  });

  it('an owner invites a colleague, who signs in from the mailed link, accepts and switches account', async () => {
    const signedIn = await b.signInFresh();
    owner = { email: signedIn.email, accountId: await accountIdOf(signedIn.email) };
    await b.t.svc.db.update(accounts).set({ plan: 'team' }).where(eq(accounts.id, owner.accountId));
    const colleague = await b.registerFresh();

    await nav(b.page, 'Team').click();
    await b.page.getByRole('heading', { name: 'Team', exact: true }).waitFor();
    await b.page.getByLabel('Email').fill(colleague.email);
    await b.page.getByLabel('Role').selectOption('admin');
    await b.page.getByRole('button', { name: 'Send invitation' }).click();
    await b.page.getByText(`Invitation sent to ${colleague.email}`).waitFor();
    expect(await b.page.locator('.cards').innerText()).toContain(colleague.email);

    const link = await b.mailedLink('/accept-invite', colleague.email);
    // The invitation screen as a signed-in person sees it (not accepted: it is not the owner's).
    await b.page.goto(link);
    await b.page.getByRole('button', { name: 'Accept the invitation' }).waitFor();
    await b.look('accept-invite');
    await b.page.goto(`${b.t.baseUrl}/team`);

    // The colleague, in a browser of their own and signed out, opens the mailed link.
    const { page } = await b.newPerson();
    mate = { email: colleague.email, page };
    const referers: string[] = [];
    page.on('request', (r) => {
      const ref = r.headers()['referer'];
      if (ref) referers.push(ref);
    });
    await page.goto(link);
    await page.getByRole('heading', { name: 'You are invited to a team on Vigil' }).waitFor();
    expect(page.url()).not.toContain('token=');
    await page.getByRole('link', { name: 'Sign in to accept' }).click();
    await page.getByLabel('Email').fill(colleague.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back on the invitation, signed in: it is accepted here.
    await page.getByText(`You are signed in as ${colleague.email}`).waitFor();
    await page.getByRole('button', { name: 'Accept the invitation' }).click();
    await page.getByRole('heading', { name: 'You joined the team' }).waitFor();
    expect(referers.filter((r) => r.includes('token'))).toEqual([]);

    // The header's switcher names the current account and offers the team's.
    await page.getByRole('link', { name: 'Stay in my account' }).click();
    await page.getByRole('heading', { name: 'Monitors' }).waitFor();
    const switcher = page.getByLabel('Account', { exact: true });
    expect(await switcher.locator('option:checked').innerText()).toBe(`${colleague.email} (Owner) · current`);
    await switcher.selectOption({ label: `${owner.email} (Admin)` });
    await page.getByRole('button', { name: 'Switch', exact: true }).click();
    await expect.poll(() => switcher.locator('option:checked').innerText()).toBe(`${owner.email} (Admin) · current`);

    // As an admin of the team, the colleague creates an API client of their own.
    await nav(page, 'API clients').click();
    await page.getByLabel('Name').fill('Script of the colleague');
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('heading', { name: 'Client “Script of the colleague” created' }).waitFor();
    rememberSecret(await page.getByLabel('Client secret').inputValue());
    expect(b.outside).toEqual([]);
  }, 60_000);

  it('the owner makes the colleague a viewer: the viewer is refused in words, then removed', async () => {
    const { page } = mate;
    // The colleague starts adding a monitor while still an admin…
    await nav(page, 'Add monitor').click();
    // The screen before (API clients) has a Name field too: fill only once the form is shown.
    await page.getByRole('heading', { name: 'Add a monitor' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Team site');
    await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/');

    await b.page.reload();
    const row = b.page.getByRole('row').filter({ hasText: mate.email });
    await row.getByLabel(`Role of ${mate.email}`).selectOption('viewer');
    await row.getByRole('button', { name: 'Change role' }).click();
    await row.getByText('Saved.').waitFor();
    await b.look('team');

    // …and sends it as a viewer: the API's refusal is shown in place, in words.
    await page.getByRole('button', { name: 'Add monitor' }).click();
    const refusal = page.getByRole('alert');
    await refusal.getByText('Not allowed').waitFor();
    expect(await refusal.innerText()).toContain('your role (viewer) does not allow monitors:write');
    await noRawJson(page);
    // Where the app knows the role, the control is not offered, and the reason is.
    await nav(page, 'API clients').click();
    await page.getByText('Your role here is Viewer: only owners and admins can see, create or revoke API clients.').waitFor();
    expect(await page.getByRole('button', { name: 'Create client' }).count()).toBe(0);
    await nav(page, 'Team').click();
    await page.getByText('only owners and admins can invite, change roles or remove members').waitFor();
    expect(await page.getByRole('button', { name: 'Send invitation' }).count()).toBe(0);
    await noRawJson(page);

    // Removing them lists what they created here, and revokes it with them.
    await row.getByRole('button', { name: `Remove… ${mate.email}` }).click();
    await row.getByText('API clients (revoked: their tokens stop at once): Script of the colleague').waitFor();
    expect(await row.getByLabel('Revoke these too').isChecked()).toBe(true);
    await row.getByRole('button', { name: `Remove ${mate.email} from the team` }).click();
    const said = b.page.getByRole('status').filter({ hasText: `${mate.email} was removed from the team` });
    await said.waitFor();
    expect(await said.innerText()).toContain('API clients (revoked: their tokens stop at once): Script of the colleague');
    // The list is read again after the answer: the row goes a moment after the message comes.
    await expect.poll(() => b.page.getByRole('row').filter({ hasText: mate.email }).count()).toBe(0);
  }, 60_000);

  it('an API client: its secret is shown once and gets a token at /oauth/token; revoked, it no longer does', async () => {
    await nav(b.page, 'API clients').click();
    await b.page.getByLabel('Name').fill('Grafana');
    await b.page.getByRole('button', { name: 'Create client' }).click();
    await b.page.getByRole('heading', { name: 'Client “Grafana” created' }).waitFor();
    expect(await b.page.getByText('you will not see this again').count()).toBe(1);
    const secret = await b.page.getByLabel('Client secret').inputValue();
    rememberSecret(secret);
    const clientId = (await b.page.locator('.shown-once code').innerText()).trim();
    expect(await b.page.locator('pre').first().innerText()).toContain(`${b.origin}/oauth/token`);

    const token = () =>
      fetch(`${b.t.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=monitors:read',
      });
    const granted = await token();
    expect(granted.status).toBe(200);
    expect(((await granted.json()) as { token_type: string }).token_type).toBe('Bearer');

    // Shown once: after a reload the list has the client, and the secret is nowhere.
    await b.page.reload();
    await b.page.getByRole('row').filter({ hasText: 'Grafana' }).waitFor();
    expect(await b.page.getByLabel('Client secret').count()).toBe(0);
    expect(await b.page.content()).not.toContain(secret);
    await b.look('api-clients');
    await b.page.getByRole('button', { name: 'Revoke… Grafana' }).click();
    await b.page.getByRole('button', { name: 'Revoke Grafana: its tokens stop working' }).click();
    await b.page.getByRole('row').filter({ hasText: 'Grafana' }).getByText('Revoked').waitFor();
    // The colleague's client was revoked with their removal.
    expect(await b.page.getByRole('row').filter({ hasText: 'Script of the colleague' }).innerText()).toContain('Revoked');
    expect((await token()).status).toBe(401);

    // The audit log says who did what, and the viewer's refused attempt.
    await nav(b.page, 'Audit log').click();
    const log = b.page.locator('table.audit');
    await log.getByText('revoked an API client').first().waitFor();
    expect(await log.innerText()).toContain('created an API client');
    // The viewer's refused attempt (they are no longer a member, so no longer named by email).
    expect(await log.getByRole('row').filter({ hasText: 'tried to create monitors' }).filter({ hasText: 'Refused' }).count()).toBe(1);
    await b.look('audit');

    await nav(b.page, 'Plan').click();
    const apiRow = b.page.getByRole('row').filter({ hasText: 'API clients (active)' });
    await apiRow.waitFor();
    expect((await apiRow.innerText()).replace(/\s+/g, ' ')).toMatch(/API clients \(active\) 0 25 /);
    expect((await b.page.getByRole('row').filter({ hasText: 'Seats' }).innerText()).replace(/\s+/g, ' ')).toMatch(/ 1 10 /);
    await b.look('plan');
    expect(b.outside).toEqual([]);
  }, 60_000);

  it('a person without an account opens the invitation, signs up, confirms, signs in and is back on it to accept', async () => {
    const email = `web-new-${Math.random().toString(36).slice(2)}@example.com`;
    rememberSecret(PASSWORD);
    await nav(b.page, 'Team').click();
    await b.page.getByLabel('Email').fill(email);
    await b.page.getByLabel('Role').selectOption('viewer');
    await b.page.getByRole('button', { name: 'Send invitation' }).click();
    await b.page.getByText(`Invitation sent to ${email}`).waitFor();

    // The same browser as the colleague's, signed out: a newcomer's tab.
    const { page } = mate;
    await page.context().clearCookies();
    const sent: string[] = [];
    const seen = (r: Request) => sent.push(`${r.url()} ${r.headers()['referer'] ?? ''}`);
    page.on('request', seen);
    const invitation = await b.mailedLink('/accept-invite', email);
    const token = new URL(invitation).hash.slice('#token='.length);
    await page.goto(invitation);
    await page.getByRole('link', { name: 'Create one' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Once you sign in, you come back to your invitation to accept it.').waitFor();

    // The confirmation link, opened in the same tab, then the sign-in it offers.
    await page.goto(await b.mailedLink('/verify-email', email));
    await confirmSignInAndAccept(page, email);
    await page.getByRole('button', { name: "Switch to the team's account" }).click();
    await page.getByRole('heading', { name: 'Monitors' }).waitFor();
    const switcher = page.getByLabel('Account', { exact: true });
    await expect.poll(() => switcher.locator('option:checked').innerText()).toBe(`${owner.email} (Viewer) · current`);
    page.off('request', seen);
    // The invitation's token never went to the server in an address or a Referer.
    expect(sent.filter((s) => s.includes(token))).toEqual([]);
    // Used once: neither the token nor the way back stays in the browser.
    expect(await page.evaluate(() => [localStorage.getItem('vigil.invitation'), sessionStorage.getItem('vigil.after-sign-in')])).toEqual([null, null]);
    expect(b.outside).toEqual([]);
  }, 45_000);

  it('signing up from an invitation and confirming in a new tab still leads back to the invitation; a stale one is forgotten', async () => {
    const email = `web-tab-${Math.random().toString(36).slice(2)}@example.com`;
    await nav(b.page, 'Team').click();
    await b.page.getByLabel('Email').fill(email);
    await b.page.getByLabel('Role').selectOption('viewer');
    await b.page.getByRole('button', { name: 'Send invitation' }).click();
    await b.page.getByText(`Invitation sent to ${email}`).waitFor();

    const { context, page: first } = await b.newPerson();
    const sent: string[] = [];
    context.on('request', (r) => sent.push(`${r.url()} ${r.headers()['referer'] ?? ''}`));
    const invitation = await b.mailedLink('/accept-invite', email);
    const token = new URL(invitation).hash.slice('#token='.length);
    await first.goto(invitation);
    await first.getByRole('link', { name: 'Create one' }).click();
    await first.getByRole('heading', { name: 'Create your account' }).waitFor();
    await first.getByLabel('Email').fill(email);
    await first.getByLabel('Password').fill(PASSWORD);
    await first.getByRole('button', { name: 'Create account' }).click();
    await first.getByRole('heading', { name: 'Check your email' }).waitFor();

    // The mail client opens the confirmation link in a new tab, which knows nothing of the first's session storage.
    const second = await context.newPage();
    await second.goto(await b.mailedLink('/verify-email', email));
    await confirmSignInAndAccept(second, email);
    await second.getByRole('heading', { name: 'You joined the team' }).waitFor();
    // Accepted: forgotten in every tab; the token never reached the server in an address or a Referer.
    expect(await first.evaluate(() => localStorage.getItem('vigil.invitation'))).toBeNull();
    expect(sent.filter((s) => s.includes(token))).toEqual([]);

    // One kept longer than an invitation lives is forgotten, never offered.
    await second.evaluate((t) => localStorage.setItem('vigil.invitation', JSON.stringify({ token: t, keptAt: Date.now() - 8 * 24 * 3600_000 })), token);
    await second.goto(`${b.t.baseUrl}/accept-invite`);
    await second.getByRole('heading', { name: 'This link is incomplete' }).waitFor();
    expect(await second.evaluate(() => localStorage.getItem('vigil.invitation'))).toBeNull();
    expect(b.outside).toEqual([]);
  }, 60_000);

  it('resets a forgotten password from the mailed link and signs in with the new one', async () => {
    const { page } = mate;
    const next = `${PASSWORD} renewed`;
    rememberSecret(next);
    await page.goto(`${b.t.baseUrl}/forgot-password`);
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await b.look('forgot-password', page);
    await page.getByLabel('Email').fill(mate.email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.goto(await b.mailedLink('/reset-password', mate.email));
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await b.look('reset-password', page);
    expect(page.url()).not.toContain('token=');
    await page.getByLabel('New password').fill(next);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(mate.email);
    await page.getByLabel('Password').fill(next);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Monitors' }).waitFor();
    expect(b.outside).toEqual([]);
  }, 30_000);
});
