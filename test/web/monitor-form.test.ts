import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { runCheck } from '../../src/checker/run.js';
import { monitors } from '../../src/db/schema.js';
import { rememberSecret } from '../support/ledger.js';
import { openBrowserApp, type BrowserApp } from './browser.js';

/**
 * The monitor form in a real browser: every setting of an HTTP monitor reaches the target on a
 * check, an edit shows on the monitor's screen, a stored credential is never shown and is asked
 * for again when the URL moves to another site, refusals (the schema's and the server's) show
 * beside their fields with focus on the first, and TCP and heartbeat monitors are added, one of
 * them by keyboard alone.
 */
let b: BrowserApp;
let email: string;
const PASSWORD = 'open-sesame-for-the-probe';
const seen: IncomingHttpHeaders[] = [];
const targets: Server[] = [];
let target = '';
let moved = '';

async function listen(): Promise<string> {
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.end('all systems ok');
  }).listen(0, '127.0.0.1');
  targets.push(server);
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const idOf = async (name: string) => (await b.t.svc.db.select({ id: monitors.id }).from(monitors).where(eq(monitors.name, name)))[0]!.id;
const field = (label: string) => b.page.getByLabel(label, { exact: true });
const focusedLabel = () => b.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? null);

beforeAll(async () => {
  b = await openBrowserApp();
  ({ email } = await b.signInFresh());
  rememberSecret(PASSWORD);
  [target, moved] = [await listen(), await listen()];
}, 120_000);

afterAll(async () => {
  for (const s of targets) s.close();
  await b?.close();
});

describe('the monitor form', () => {
  it('adds an HTTP monitor with a header, basic credentials, a keyword and chosen contacts; a check sends them', async () => {
    // A second contact beside the account's own address, so there is a choice to make.
    const hook = await b.page.evaluate(async (url) => {
      const res = await fetch('/internal/contacts.create', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'webhook', name: 'Ops hook', target: url }) });
      return ((await res.json()) as { result: { data: { id: string } } }).result.data.id;
    }, `${target}/hook`);
    await b.page.getByRole('link', { name: 'Add monitor' }).click();
    await b.page.getByRole('heading', { name: 'Add a monitor' }).waitFor();
    await field('Name').fill('Shop API');
    await field('URL').fill(`${target}/health`);
    await b.page.getByRole('button', { name: 'Add a header' }).click();
    expect(await focusedLabel()).toBe('Header 1 name');
    await field('Header 1 name').fill('X-Probe');
    await field('Header 1 value').fill('from-vigil');
    await b.page.getByRole('radio', { name: 'Username and password (basic)' }).check();
    await field('Username').fill('probe');
    await field('Password').fill(PASSWORD);
    await field('Keyword').fill('systems ok');
    await field('Tags').fill('Shop, api');
    await b.page.getByRole('checkbox', { name: /^Account email/ }).uncheck();
    await b.look('new-monitor');
    await b.page.getByRole('button', { name: 'Add monitor' }).click();
    await b.page.getByRole('row', { name: /Shop API/ }).waitFor();

    const id = await idOf('Shop API');
    const outcome = await runCheck(b.t.svc, id);
    expect(outcome).toMatchObject({ kind: 'checked', result: { ok: true } });
    const sent = seen.at(-1)!;
    expect(sent['x-probe']).toBe('from-vigil');
    expect(sent.authorization).toBe(`Basic ${Buffer.from(`probe:${PASSWORD}`).toString('base64')}`);
    const [row] = await b.t.svc.db.select().from(monitors).where(eq(monitors.id, id));
    expect(row).toMatchObject({ keyword: 'systems ok', alertContactIds: [hook], tags: JSON.stringify(['shop', 'api']) });
  }, 40_000);

  it('edits the interval and tags and shows them on the monitor screen; the stored credential is never shown', async () => {
    await b.page.getByRole('link', { name: 'Shop API' }).click();
    await b.page.getByRole('heading', { name: 'Shop API', exact: true }).waitFor();
    await b.page.getByRole('link', { name: 'Edit' }).click();
    await b.page.getByRole('heading', { name: 'Edit Shop API' }).waitFor();
    await b.page.getByText('A username and password are set').waitFor();
    expect(await b.page.content()).not.toContain(PASSWORD);
    expect(await b.page.getByRole('radio', { name: 'Keep it' }).isChecked()).toBe(true);
    expect(await field('Header 1 value').inputValue()).toBe('from-vigil');
    await field('Check every').selectOption({ label: '10 minutes' });
    await field('Tags').fill('shop, staging');
    await b.look('edit-monitor');
    await b.page.getByRole('button', { name: 'Save changes' }).click();
    await b.page.getByRole('heading', { name: 'Shop API', exact: true }).waitFor();
    await b.page.getByText('Tags: shop, staging').waitFor();
    expect(await b.page.locator('.target').textContent()).toContain('every 10 min');
    // Only what changed was sent: the credential is kept.
    seen.length = 0;
    await runCheck(b.t.svc, await idOf('Shop API'));
    expect(seen.at(-1)?.authorization).toMatch(/^Basic /);
  }, 30_000);

  it('asks for the credentials again when the URL moves to another site', async () => {
    await b.page.getByRole('link', { name: 'Edit' }).click();
    await b.page.getByRole('heading', { name: 'Edit Shop API' }).waitFor();
    await field('URL').fill(`${moved}/health`);
    await b.page.getByRole('button', { name: 'Save changes' }).click();
    const notice = b.page.getByRole('alert').filter({ hasText: 'Credentials removed' });
    await notice.waitFor();
    await expect.poll(() => b.page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Credentials removed');
    expect(await b.page.getByRole('radio', { name: 'Username and password (basic)' }).isChecked()).toBe(true);
    await field('Username').fill('probe');
    await field('Password').fill(PASSWORD);
    await b.page.getByRole('button', { name: 'Save changes' }).click();
    await b.page.getByRole('heading', { name: 'Shop API', exact: true }).waitFor();
    seen.length = 0;
    await runCheck(b.t.svc, await idOf('Shop API'));
    expect(seen.at(-1)?.authorization).toBe(`Basic ${Buffer.from(`probe:${PASSWORD}`).toString('base64')}`);
  }, 30_000);

  it('shows a refusal beside its field and moves focus to it: the schema’s at once, the server’s after sending', async () => {
    await setPlanByEmail(b.t.svc, email, 'solo');
    await b.page.goto(`${b.t.baseUrl}/monitors/new`);
    await b.page.getByRole('heading', { name: 'Add a monitor' }).waitFor();
    await field('Name').fill('Refused');
    await field('URL').fill(`${target}/`);
    await b.page.getByRole('button', { name: 'Add a header' }).click();
    await field('Header 1 name').fill('Host');
    await b.page.getByRole('button', { name: 'Add monitor' }).click();
    await expect.poll(() => field('Header 1 name').getAttribute('aria-invalid')).toBe('true');
    expect(await focusedLabel()).toBe('Header 1 name');
    expect(await b.page.locator('.field-error').first().textContent()).toContain('set by Vigil');
    await b.page.getByRole('button', { name: 'Remove header 1' }).click();
    // The Solo plan offered one minute; the plan changes before the form is sent.
    await field('Check every').selectOption({ label: '1 minute' });
    await setPlanByEmail(b.t.svc, email, 'free');
    await b.page.getByRole('button', { name: 'Add monitor' }).click();
    await expect.poll(() => field('Check every').getAttribute('aria-invalid')).toBe('true');
    expect(await focusedLabel()).toBe('Check every');
    expect(await b.page.locator('.field-error').first().textContent()).toContain('at the shortest');
    // A fresh form offers only what the Free plan allows.
    await b.page.reload();
    await b.page.getByRole('heading', { name: 'Add a monitor' }).waitFor();
    // The intervals come from the account's plan, read after the form appears.
    await expect.poll(() => field('Check every').locator('option').first().textContent()).toBe('5 minutes');
    const offered = await field('Check every').locator('option').allTextContents();
    expect(offered).not.toContain('1 minute');
  }, 30_000);

  it('adds a TCP monitor by keyboard alone, and a heartbeat with its ping URL and curl line', async () => {
    await b.page.getByRole('radio', { name: /Website or API/ }).focus();
    await b.page.keyboard.press('ArrowDown');
    expect(await b.page.getByRole('radio', { name: /Server port/ }).isChecked()).toBe(true);
    await b.page.keyboard.press('Tab');
    await b.page.keyboard.type('Database port');
    await b.page.keyboard.press('Tab');
    await b.page.keyboard.type('127.0.0.1');
    await b.page.keyboard.press('Tab');
    await b.page.keyboard.type(new URL(target).port);
    await b.page.keyboard.press('Enter');
    await b.page.getByRole('row', { name: /Database port/ }).waitFor();
    expect(await runCheck(b.t.svc, await idOf('Database port'))).toMatchObject({ kind: 'checked', result: { ok: true } });

    await b.page.getByRole('link', { name: 'Add monitor' }).click();
    await b.page.getByRole('radio', { name: /Cron job/ }).check();
    await field('Name').fill('Nightly backup');
    await field('Grace (seconds)').fill('600');
    await b.page.getByRole('button', { name: 'Add monitor' }).click();
    await b.page.getByRole('heading', { name: 'Heartbeat added' }).waitFor();
    const pingUrl = await field('Ping URL').inputValue();
    expect(pingUrl).toMatch(/\/ping\/[A-Za-z0-9_-]+$/);
    expect(await b.page.locator('pre code').textContent()).toBe(`curl -fsS -m 10 --retry 3 ${pingUrl}`);
    await b.look('heartbeat-added');
    const [row] = await b.t.svc.db.select().from(monitors).where(eq(monitors.name, 'Nightly backup'));
    expect(row).toMatchObject({ kind: 'heartbeat', graceSeconds: 600, intervalSeconds: 300 });
  }, 30_000);

  it('sets when a monitor alerts (a delay, reminders), says it on the monitor screen, and turns reminders off again', async () => {
    const id = await idOf('Shop API');
    await b.page.goto(`${b.t.baseUrl}/monitors/${id}/edit`);
    await b.page.getByRole('heading', { name: 'Edit Shop API' }).waitFor();
    expect(await field('Alert').inputValue()).toBe('0');
    expect(await field('Remind').inputValue()).toBe('');
    await field('Alert').selectOption({ label: 'After 5 minutes down' });
    await field('Remind').selectOption({ label: 'Every 1 hour' });
    await b.page.getByRole('button', { name: 'Save changes' }).click();
    await b.page.getByRole('heading', { name: 'Shop API', exact: true }).waitFor();
    await b.page.getByText('Alerts after 5 minutes down (a shorter incident alerts no one); reminders every 1 hour while down.').waitFor();
    expect(await b.t.svc.db.query.monitors.findFirst({ where: eq(monitors.id, id) })).toMatchObject({ alertAfterSeconds: 300, remindEverySeconds: 3600 });
    await b.look('monitor-alerting');

    await b.page.getByRole('link', { name: 'Edit' }).click();
    await b.page.getByRole('heading', { name: 'Edit Shop API' }).waitFor();
    expect(await field('Alert').inputValue()).toBe('300');
    await field('Remind').selectOption({ label: 'Never' });
    await b.page.getByRole('button', { name: 'Save changes' }).click();
    await b.page.getByText('Alerts after 5 minutes down (a shorter incident alerts no one); no reminders.').waitFor();
    expect(await b.t.svc.db.query.monitors.findFirst({ where: eq(monitors.id, id) })).toMatchObject({ alertAfterSeconds: 300, remindEverySeconds: null });
  }, 30_000);

  it('made no request outside the service’s origin', () => {
    expect(b.outside).toEqual([]);
  });
});
