import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { dispatchDue } from '../../src/alerts/dispatcher.js';
import { accounts, users } from '../../src/db/schema.js';
import { rememberSecret } from '../support/ledger.js';
import type { Request } from 'playwright-core';
import { openBrowserApp, PASSWORD, type BrowserApp } from './browser.js';

/**
 * Where alerts go, in a real browser against the real service: a webhook contact that receives a
 * signed test, its secret shown once and rotated, an email contact confirmed from the mailed
 * link, the delivery log; a maintenance window and a status page with its public page.
 */
let b: BrowserApp;
let receiver: Server;
let receiverUrl: string;
let me: { email: string };
const hits: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  b = await openBrowserApp();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hits.push({ headers: req.headers, body });
      res.end('ok');
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => receiver.once('listening', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks/vigil`;
  me = await b.signInFresh();
  // A step that cannot happen fails with its locator before the test's own timeout; 8 s was too
  // short for a monitor's create on a loaded CI machine once.
  b.page.setDefaultTimeout(15_000);
}, 120_000);

afterAll(async () => {
  receiver?.close();
  await b?.close();
});

/**
 * Standard Webhooks, checked from the spec rather than with the library the server signs with:
 * `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` under the secret's base64 bytes after `whsec_`.
 */
function signedWith(secret: string, hit: { headers: IncomingHttpHeaders; body: string }): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${String(hit.headers['webhook-id'])}.${String(hit.headers['webhook-timestamp'])}.${hit.body}`).digest();
  return String(hit.headers['webhook-signature'])
    .split(' ')
    .some((s) => {
      const given = Buffer.from(s.replace(/^v1,/, ''), 'base64');
      return s.startsWith('v1,') && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

/** The contact's card, found by its heading. */
const card = (name: string) => b.page.getByRole('listitem').filter({ has: b.page.getByRole('heading', { name, exact: true }) });

/** Sends a test from the card, lets the dispatcher take its turn, and returns what the receiver got. */
async function sendTest(name: string) {
  const before = hits.length;
  await card(name).getByRole('button', { name: 'Send a test' }).click();
  await card(name).getByRole('status').filter({ hasText: 'Test sent' }).waitFor();
  await dispatchDue(b.t.svc);
  await expect.poll(() => hits.length).toBe(before + 1);
  return hits[before]!;
}

describe('alert contacts in the browser', () => {
  it('adds a webhook, shows its secret once, and the test it sends arrives signed with it; rotating signs with the new one', async () => {
    await b.page.getByRole('link', { name: 'Alert contacts' }).click();
    await b.page.getByRole('heading', { name: 'Alert contacts', level: 1 }).waitFor();
    await b.page.getByRole('radio', { name: 'Webhook' }).check();
    await b.page.getByLabel('Name', { exact: true }).fill('Receiver');
    // A refusal is said beside its field, which takes focus.
    await b.page.getByLabel('Webhook URL').fill('ftp://example.com/hook');
    await b.page.getByRole('button', { name: 'Add contact' }).click();
    await expect.poll(() => b.page.getByLabel('Webhook URL').getAttribute('aria-invalid')).toBe('true');
    expect(await b.page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('target');
    await b.page.getByLabel('Webhook URL').fill(receiverUrl);
    await b.page.getByRole('button', { name: 'Add contact' }).click();

    await b.page.getByRole('heading', { name: 'Receiver added' }).waitFor();
    expect(await b.page.evaluate(() => document.activeElement?.textContent)).toBe('Receiver added');
    await b.page.getByText('you will not see this again').waitFor();
    await b.page.getByRole('button', { name: 'Copy signing secret' }).waitFor();
    const secret = await b.page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    rememberSecret(secret);
    expect(secret).toMatch(/^whsec_/);

    const hit = await sendTest('Receiver');
    expect(signedWith(secret, hit)).toBe(true);
    expect(JSON.parse(hit.body)).toMatchObject({ type: 'test' });

    // The delivery shows in the log, delivered, without a reload.
    const log = b.page.getByRole('table');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toMatch(/Receiver.*Test.*Delivered.*HTTP 200/);

    // Shown once: after a reload the secret is nowhere on the screen.
    await b.page.reload();
    await card('Receiver').waitFor();
    expect(await b.page.content()).not.toContain(secret.slice(6, 26));

    await card('Receiver').getByRole('button', { name: 'Rotate signing secret…' }).click();
    await card('Receiver').getByRole('button', { name: /Replace the secret now/ }).click();
    await card('Receiver').getByRole('heading', { name: 'New signing secret' }).waitFor();
    const rotated = await card('Receiver').getByRole('textbox', { name: 'Signing secret' }).inputValue();
    rememberSecret(rotated);
    expect(rotated).not.toBe(secret);
    const second = await sendTest('Receiver');
    expect(signedWith(rotated, second)).toBe(true);
    expect(signedWith(secret, second)).toBe(false);
  }, 30_000);

  it('adds an ntfy contact with an access token it never shows again, and the test arrives in ntfy’s format with the token; PagerDuty asks for its routing key', async () => {
    // A routing key is required: refused beside its field before anything is added.
    await b.page.getByRole('radio', { name: 'PagerDuty' }).check();
    await b.page.getByLabel('Name', { exact: true }).fill('On-call rota');
    await b.page.getByRole('button', { name: 'Add contact' }).click();
    await expect.poll(() => b.page.getByLabel('Routing key').getAttribute('aria-invalid')).toBe('true');

    const token = `tk_${'Ab3'.repeat(10)}`;
    rememberSecret(token);
    await b.page.getByRole('radio', { name: 'ntfy' }).check();
    await b.page.getByLabel('Name', { exact: true }).fill('Phone');
    await b.page.getByLabel('Topic URL').fill(new URL('/vigil-phone', receiverUrl).href);
    await b.page.getByLabel('Access token (optional)').fill(token);
    await b.page.getByRole('button', { name: 'Add contact' }).click();
    await b.page.getByRole('status').filter({ hasText: 'Phone added. Its access token is stored encrypted and will not be shown again.' }).waitFor();
    await card('Phone').getByText('Access token set').waitFor();
    expect(await b.page.content()).not.toContain(token);

    const hit = await sendTest('Phone');
    expect(hit.headers.authorization).toBe(`Bearer ${token}`);
    expect(JSON.parse(hit.body)).toMatchObject({ topic: 'vigil-phone', title: '[Vigil] Test alert', priority: 3, tags: ['bell'] });
    await expect.poll(() => b.page.getByRole('table').textContent(), { timeout: 10_000 }).toMatch(/Phone.*Test.*Delivered.*HTTP 200/);
    // The form as ntfy asks for it (topic URL, optional token), by axe at both widths.
    await b.look('contacts-ntfy');
  }, 45_000);

  it('confirms an email contact from the mailed link, and a 429 on new codes counts down', async () => {
    await b.page.getByRole('radio', { name: 'Email' }).check();
    await b.page.getByLabel('Name', { exact: true }).fill('On-call mail');
    await b.page.getByLabel('Email address').fill('oncall@example.com');
    await b.page.getByRole('button', { name: 'Add contact' }).click();
    await b.page.getByRole('status').filter({ hasText: 'We mailed a 6-digit code to oncall@example.com' }).waitFor();
    await card('On-call mail').getByText('Awaiting the code').waitFor();

    const [link, contact, code] = await b.fromMail(/\/contacts\/verify#contact=(ct_[a-z0-9]+)&code=(\d{6})/, 'oncall@example.com');
    // A link mailed before links carried a fragment (the code in the query) still opens the screen,
    // and leaves the address bar at once.
    await b.page.goto(`${b.origin}/contacts/verify?contact=${contact}&code=${code}`);
    await b.page.getByRole('heading', { name: 'Confirm oncall@example.com' }).waitFor();
    expect(b.page.url()).toBe(`${b.origin}/contacts/verify`);
    expect(await b.page.getByLabel('Code from the email').inputValue()).toBe(code);

    // Signed out (the session ended), the mailed link asks to sign in, then comes back with the code.
    const { email } = me;
    await b.context.clearCookies();
    await b.page.goto('about:blank'); // a new document: from the same path, only the fragment would change
    const referers: string[] = [];
    const seen = (r: Request) => r.headers()['referer'] && referers.push(r.headers()['referer']!);
    b.page.on('request', seen);
    await b.page.goto(`${b.origin}${link}`);
    await b.page.getByRole('link', { name: 'Sign in to confirm' }).waitFor();
    expect(b.page.url()).toBe(`${b.origin}/contacts/verify`);
    await b.look('contact-verify-signed-out');
    await b.page.getByRole('link', { name: 'Sign in to confirm' }).click();
    await b.page.getByLabel('Email').fill(email);
    await b.page.getByLabel('Password').fill(PASSWORD);
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await b.page.getByRole('heading', { name: 'Confirm oncall@example.com' }).waitFor();
    b.page.off('request', seen);
    expect(referers.filter((r) => r.includes(code!))).toEqual([]);
    // The code is filled in for the person to confirm.
    expect(await b.page.getByLabel('Code from the email').inputValue()).toBe(code);
    await b.look('contact-verify');
    await b.page.getByRole('button', { name: 'Verify' }).click();
    await b.page.getByRole('heading', { name: 'Address confirmed' }).waitFor();

    // A second address asks for new codes until the API says to wait: the wait counts down.
    await b.page.getByRole('link', { name: 'Go to alert contacts' }).click();
    await card('On-call mail').getByText('Active').waitFor();
    await b.page.getByRole('radio', { name: 'Email' }).check();
    await b.page.getByLabel('Name', { exact: true }).fill('Spare mail');
    await b.page.getByLabel('Email address').fill('spare@example.com');
    await b.page.getByRole('button', { name: 'Add contact' }).click();
    const spare = card('Spare mail');
    await spare.waitFor();
    for (let i = 0; i < 4; i++) {
      await spare.getByRole('button', { name: 'Mail a new code' }).click();
      await expect.poll(async () => (await spare.getByRole('status').count()) + (await spare.getByRole('alert').count())).toBeGreaterThan(0);
      if ((await spare.getByRole('alert').count()) > 0) break;
    }
    const alert = spare.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/Too many attempts.*You can try again in \d+ s/);
    expect(await spare.getByRole('button', { name: /Mail a new code \(in \d+ s\)/ }).isDisabled()).toBe(true);

    // Deleted after a confirmation; focus moves to what changed.
    await spare.getByRole('button', { name: /^Delete Spare mail\s*…$/ }).click();
    await spare.getByRole('button', { name: 'Delete Spare mail', exact: true }).click();
    await b.page.getByRole('status').filter({ hasText: 'Spare mail deleted.' }).waitFor();
    expect(await b.page.evaluate(() => document.activeElement?.textContent)).toBe('Spare mail deleted.');

    // One contact's deliveries: the log is filtered to it and takes focus.
    await card('On-call mail').getByRole('button', { name: /Show its deliveries/ }).click();
    await expect.poll(() => b.page.evaluate(() => document.activeElement?.textContent)).toBe('Delivery log');
    await b.page.getByText('No deliveries yet.').waitFor();
    await b.page.getByLabel('Contact', { exact: true }).selectOption({ label: 'Every contact' });
    await b.page.getByRole('table').waitFor();

    // Renamed in its card: focus goes into the form, then to the result.
    await card('On-call mail').getByRole('button', { name: /^Edit On-call mail$/ }).click();
    await expect.poll(() => b.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('On-call mail');
    await b.page.keyboard.press('ControlOrMeta+a');
    await b.page.keyboard.type('On-call');
    await b.page.keyboard.press('Enter');
    await card('On-call').getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await b.look('contacts');
  }, 45_000);
});

describe('maintenance windows and status pages in the browser', () => {
  it('adds a monitor to cover', async () => {
    await b.page.getByRole('link', { name: 'Add monitor' }).click();
    // The contacts screen before it has a Name field too: fill only once the form is shown.
    await b.page.getByRole('heading', { name: 'Add a monitor' }).waitFor();
    await b.page.getByLabel('Name', { exact: true }).fill('Shop');
    await b.page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/');
    await b.page.getByRole('button', { name: 'Add monitor' }).click();
    await b.page.getByRole('heading', { name: 'Monitors' }).waitFor();
  }, 30_000);

  it('adds a one-off window for one monitor, then makes it weekly in a named zone, then deletes it', async () => {
    await b.page.getByRole('link', { name: 'Maintenance' }).click();
    await b.page.getByRole('heading', { name: 'Maintenance windows' }).waitFor();
    await b.page.getByLabel('Name', { exact: true }).fill('Database upgrade');
    // Missing times are named beside their fields, in the server's schema's words.
    await b.page.getByRole('button', { name: 'Add window' }).click();
    await expect.poll(() => b.page.getByLabel('Starts', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await b.page.getByLabel('Starts', { exact: true }).fill('2099-03-01T02:00');
    await b.page.getByLabel('Ends', { exact: true }).fill('2099-03-01T04:00');
    await b.page.getByRole('radio', { name: 'Only the ones I choose' }).check();
    await b.page.getByRole('checkbox', { name: 'Shop' }).check();
    await b.page.getByRole('button', { name: 'Add window' }).click();
    await b.page.getByRole('status').filter({ hasText: 'Database upgrade added.' }).waitFor();
    const window = card('Database upgrade');
    expect(await window.textContent()).toContain('Covers: Shop');
    expect(await window.textContent()).toContain('Not in force');

    await window.getByRole('button', { name: 'Edit Database upgrade' }).click();
    await b.page.getByRole('heading', { name: 'Edit Database upgrade' }).waitFor();
    await b.page.getByRole('radio', { name: 'Every week' }).check();
    await b.page.getByLabel('Day').selectOption('Monday');
    await b.page.getByLabel('Starts at').fill('03:00');
    await b.page.getByLabel('Lasts (minutes)').fill('90');
    await b.page.getByLabel('Time zone').fill('Europe/Paris');
    await b.page.getByRole('button', { name: 'Save window' }).click();
    await b.page.getByRole('status').filter({ hasText: 'Database upgrade saved.' }).waitFor();
    expect(await window.textContent()).toContain('Every Monday at 03:00 for 1 h 30 min (Europe/Paris)');
    await b.look('maintenance');

    // By keyboard alone: the confirmation takes focus when it appears, so Enter twice deletes.
    await window.getByRole('button', { name: /^Delete Database upgrade\s*…$/ }).focus();
    await b.page.keyboard.press('Enter');
    await expect.poll(() => b.page.evaluate(() => document.activeElement?.textContent)).toBe('Delete Database upgrade');
    await b.page.keyboard.press('Enter');
    await b.page.getByRole('status').filter({ hasText: 'Database upgrade deleted.' }).waitFor();
  }, 30_000);

  it('creates a status page with the monitor and opens its public page', async () => {
    await b.page.getByRole('link', { name: 'Status pages' }).click();
    await b.page.getByRole('heading', { name: 'Status pages', level: 1 }).waitFor();
    await b.page.getByLabel('Title').fill('Acme status');
    await b.page.getByLabel('Address').fill('ab');
    await b.page.getByRole('checkbox', { name: 'Shop' }).check();
    await b.page.getByRole('button', { name: 'Create page' }).click();
    await expect.poll(() => b.page.getByLabel('Address').getAttribute('aria-invalid')).toBe('true');
    const slug = `acme-${Math.random().toString(36).slice(2, 8)}`;
    await b.page.getByLabel('Address').fill(slug);
    await b.page.getByRole('button', { name: 'Create page' }).click();
    await b.page.getByRole('status').filter({ hasText: 'Acme status created.' }).waitFor();
    // The free plan holds one page: a second is refused with the plan, its limit and the use, and the notice takes focus.
    await b.page.getByLabel('Title').fill('Second page');
    await b.page.getByLabel('Address').fill(`${slug}-2`);
    await b.page.getByRole('button', { name: 'Create page' }).click();
    const limit = b.page.getByRole('alert').filter({ hasText: 'Plan limit reached' });
    await expect.poll(() => limit.textContent()).toMatch(/Free plan allows 1; you have 1/i);
    expect(await b.page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');
    await b.look('status-pages');

    const opened = b.context.waitForEvent('page');
    await card('Acme status').getByRole('link', { name: /Open the public page/ }).click();
    const publicPage = await opened;
    await publicPage.waitForLoadState();
    expect(new URL(publicPage.url()).pathname).toBe(`/status/${slug}`);
    expect(await publicPage.textContent('body')).toContain('Shop');
    expect(await publicPage.title()).toContain('Acme status');
    await publicPage.close();

    await card('Acme status').getByRole('button', { name: 'Edit Acme status' }).click();
    await b.page.getByLabel('Title').fill('Acme service status');
    await b.page.getByRole('button', { name: 'Save page' }).click();
    await b.page.getByRole('status').filter({ hasText: 'Acme service status saved.' }).waitFor();
    await card('Acme service status').getByRole('button', { name: /^Delete Acme service status\s*…$/ }).click();
    await card('Acme service status').getByRole('button', { name: 'Delete Acme service status', exact: true }).click();
    await b.page.getByRole('status').filter({ hasText: 'Acme service status deleted.' }).waitFor();
  }, 30_000);

  it('made no request outside the service’s origin', () => {
    expect(b.outside).toEqual([]);
  });
});

describe('SMS contacts in the browser', () => {
  it('a Free account is told SMS needs a paid plan; on Solo a number is added, confirmed with the texted code, and the allowance shows what it cost', async () => {
    const { email } = await b.signInFresh();
    await b.page.getByRole('link', { name: 'Alert contacts' }).click();
    await b.page.getByRole('heading', { name: 'Alert contacts', level: 1 }).waitFor();
    await b.page.getByRole('radio', { name: 'SMS' }).check();
    // Said before anything is asked of the server, and again in words if the person tries anyway.
    await b.page.getByRole('status').filter({ hasText: 'The Free plan includes no SMS: SMS contacts need a paid plan (Solo or Team).' }).waitFor();
    await b.page.getByLabel('Name', { exact: true }).fill('On-call phone');
    await b.page.getByLabel('Phone number').fill('+447700900123');
    await b.page.getByRole('button', { name: 'Add contact' }).click();
    // Beside the choice of kind, which takes focus.
    const kinds = b.page.getByRole('group', { name: 'Where should alerts go?' });
    await kinds.getByText('The Free plan includes no SMS. Upgrade your plan to text alerts.').waitFor();
    expect(await b.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('kind');
    expect(await b.page.locator('main').innerText()).not.toMatch(/[{[]\s*"/);

    const [user] = await b.t.svc.db.select({ accountId: users.accountId }).from(users).where(eq(users.email, email));
    await b.t.svc.db.update(accounts).set({ plan: 'solo' }).where(eq(accounts.id, user!.accountId));
    await b.page.reload();
    await b.page.getByRole('heading', { name: 'Alert contacts', level: 1 }).waitFor();
    await b.page.getByRole('radio', { name: 'SMS' }).check();
    const allowance = b.page.getByRole('status').filter({ hasText: 'SMS this month' });
    await expect.poll(() => allowance.innerText()).toContain('SMS this month: 0 of 50 used (alerts and codes).');
    await b.page.getByLabel('Name', { exact: true }).fill('On-call phone');
    // Written as people write it; stored in international form.
    await b.page.getByLabel('Phone number').fill('+44 7700 900123');
    await b.page.getByRole('button', { name: 'Add contact' }).click();
    await b.page.getByRole('status').filter({ hasText: 'We texted a 6-digit code to +447700900123' }).waitFor();
    const phone = card('On-call phone');
    await phone.getByText('Awaiting the code from the text message').waitFor();
    await expect.poll(() => allowance.innerText()).toContain('SMS this month: 1 of 50 used (alerts and codes).');

    const [, code] = await b.fromSms(/Vigil code: (\d{6})\./, '+447700900123');
    await phone.getByLabel('Code from the text message').fill(code!);
    await phone.getByRole('button', { name: 'Verify' }).click();
    await phone.getByText('Active').waitFor();
    await b.look('contacts-sms');
    expect(b.outside).toEqual([]);
  }, 45_000);
});
