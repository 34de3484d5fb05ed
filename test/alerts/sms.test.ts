import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { eq } from 'drizzle-orm';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatchDue } from '../../src/alerts/dispatcher.js';
import { smsText } from '../../src/alerts/kinds/sms.js';
import { sendDelivery } from '../../src/alerts/send.js';
import { buildServices } from '../../src/bootstrap.js';
import { runCheck } from '../../src/checker/run.js';
import { loadConfig } from '../../src/config.js';
import { accountWindowKey } from '../../src/db/rate-limit.js';
import { accounts, alertContacts, monitors, users } from '../../src/db/schema.js';
import { PLAN_LIMITS, type PlanName } from '../../src/domain/plans.js';
import { monthEnd } from '../../src/domain/time.js';
import { createLogger } from '../../src/log.js';
import { fileSmsSender } from '../../src/sms/transports.js';
import { startTestApp, withExtras, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';
import { startTarget } from '../support/target.js';
import { refusal } from './support.js';

/**
 * SMS contacts, attacked as a stranger would first: a phone is texted only after it sent back the
 * code it was texted; codes to one number and from one account are budgeted; every text — code or
 * alert — is spent from the plan's monthly allowance before it goes, and never past it, however
 * many senders race. SNS is faked at the SDK boundary (aws-sdk-client-mock).
 */
const sns = mockClient(SNSClient);
let texts: PublishCommandInput[] = [];
const acceptTexts = () =>
  sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
    texts.push(input);
    return { MessageId: `sns-${texts.length}` };
  });
const textsTo = (number: string) => texts.filter((x) => x.PhoneNumber === number).map((x) => x.Message ?? '');

let t: TestApp;
let target: Awaited<ReturnType<typeof startTarget>>;
// Relative to the machine's date (faketime moves it), mid-month so the allowance's month holds still.
const today = new Date();
let now = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 15, 12, 0);
beforeAll(async () => {
  target = await startTarget();
  t = await startTestApp({ now: () => now, env: { SMS_TRANSPORT: 'sns', APP_URL: 'http://app.test' } });
});
beforeEach(() => {
  acceptTexts();
});
afterEach(() => {
  sns.reset();
  texts = [];
});
afterAll(async () => {
  await t.close();
  await target.close();
});


let numbers = 0;
/** A fresh UK drama number (+44 7700 900xxx: reserved for fiction) per call. */
const newNumber = () => `+447700900${String(100 + ++numbers).padStart(3, '0')}`;

async function accountOn(plan: PlanName) {
  const c = await t.signUp();
  const [user] = await t.svc.db.select({ accountId: users.accountId }).from(users).where(eq(users.email, c.email));
  await t.svc.db.update(accounts).set({ plan }).where(eq(accounts.id, user!.accountId));
  return withExtras(c, { accountId: user!.accountId });
}

const codeOf = (text: string) => {
  const code = /Vigil code: (\d{6})/.exec(text)?.[1];
  expect(code).toBeDefined();
  rememberSecret(`Vigil code: ${code}`);
  return code!;
};

/** An active SMS contact: created, its texted code sent back. */
async function verifiedSms(c: Awaited<ReturnType<typeof accountOn>>, number = newNumber()) {
  const contact = await c.contacts.create.mutate({ kind: 'sms', name: 'on-call phone', target: number });
  const code = codeOf(textsTo(number).at(-1)!);
  await c.contacts.verify.mutate({ id: contact.id, code });
  return { ...contact, number };
}

async function downMonitor(c: Awaited<ReturnType<typeof accountOn>>, name: string, contactIds: string[]) {
  target.always = 200;
  const m = await c.monitors.create.mutate({ name, url: `${target.url}?token=s3cret-query`, paused: true, alertContactIds: contactIds });
  await t.svc.db.update(monitors).set({ paused: false }).where(eq(monitors.id, m.id));
  await runCheck(t.svc, m.id, { confirmDelayMs: 0 });
  target.always = 500;
  await runCheck(t.svc, m.id, { confirmDelayMs: 0 });
  return m;
}

/** Pretends the account has already texted `used` this month. */
async function usedThisMonth(accountId: string, used: number) {
  await t.svc.db.$client.execute({
    sql: 'INSERT INTO rate_limits (key, count, reset_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET count = excluded.count',
    args: [accountWindowKey.smsMonth(accountId, now), used, monthEnd(now)],
  });
}

describe('sms contacts: a stranger cannot make us text a phone', () => {
  it('the Free plan has no SMS: the create is refused (403) and nothing is texted', async () => {
    const c = await accountOn('free');
    const r = await refusal(c.contacts.create.mutate({ kind: 'sms', name: 'phone', target: newNumber() }));
    expect(r.data).toMatchObject({ httpStatus: 403, limit: { plan: 'free', limit: 0 } });
    expect(texts).toEqual([]);
  });

  it('only E.164 numbers, each refusal naming target; spaces and dashes typed are dropped', async () => {
    const c = await accountOn('solo');
    for (const bad of ['12345', '+0123456789', '07700 900123', '+44 7700 900123 ext 5', '+1234567890123456', 'https://x.example']) {
      const r = await refusal(c.contacts.create.mutate({ kind: 'sms', name: 'phone', target: bad }));
      expect(r.data).toMatchObject({ httpStatus: 400, fieldErrors: [{ path: 'target', message: expect.stringContaining('international form') }] });
    }
    const ok = await c.contacts.create.mutate({ kind: 'sms', name: 'phone', target: '+44 (7700) 900-999' });
    expect(ok).toMatchObject({ kind: 'sms', target: '+447700900999', status: 'pending' });
    codeOf(textsTo('+447700900999')[0]!);
    expect(texts).toHaveLength(1);
  });

  it('a pending number gets its code and nothing else: no test alert, no monitor alert, until the code comes back', async () => {
    const c = await accountOn('solo');
    const number = newNumber();
    const pending = await c.contacts.create.mutate({ kind: 'sms', name: 'phone', target: number });
    const [codeText] = textsTo(number);
    expect(codeText).toMatch(/^Vigil code: \d{6}\. Someone asked Vigil to text uptime alerts to this number; if it was not you, ignore this\.$/);
    expect(texts[0]).toMatchObject({ MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } } });
    expect((await refusal(c.contacts.test.mutate({ id: pending.id }))).data.httpStatus).toBe(409);
    await downMonitor(c, 'Shop', [pending.id]);
    await dispatchDue(t.svc);
    expect(textsTo(number)).toHaveLength(1);
    // A wrong code is refused; the right one activates it.
    const right = codeOf(codeText!);
    const wrong = right === '000000' ? '000001' : '000000';
    expect((await refusal(c.contacts.verify.mutate({ id: pending.id, code: wrong }))).data).toMatchObject({ httpStatus: 400 });
    expect(await c.contacts.verify.mutate({ id: pending.id, code: right })).toMatchObject({ status: 'active' });
  });

  it('codes to one number: at most 5 a day whatever the accounts asking, then 429 with retryAfterSeconds', async () => {
    const victim = newNumber();
    const strangers = await Promise.all([accountOn('solo'), accountOn('team'), accountOn('solo')]);
    const sent: unknown[] = [];
    for (let i = 0; i < 5; i++) sent.push(await strangers[i % 3]!.contacts.create.mutate({ kind: 'sms', name: `x${i}`, target: victim }));
    for (const c of strangers) {
      const r = await refusal(c.contacts.create.mutate({ kind: 'sms', name: 'again', target: victim }));
      expect(r.data).toMatchObject({ httpStatus: 429, retryAfterSeconds: expect.any(Number) });
      expect(r.data.retryAfterSeconds as number).toBeGreaterThan(0);
      expect(r.data.retryAfterSeconds as number).toBeLessThanOrEqual(86_400);
    }
    // Resends to the same number are the same budget.
    const first = sent[0] as { id: string };
    expect((await refusal(strangers[0]!.contacts.resendVerification.mutate({ id: first.id }))).data.httpStatus).toBe(429);
    expect(textsTo(victim)).toHaveLength(5);
    for (const x of textsTo(victim)) codeOf(x);
    // A day later the number may be asked again.
    now += 86_400_000;
    await strangers[1]!.contacts.create.mutate({ kind: 'sms', name: 'next day', target: victim });
    expect(textsTo(victim)).toHaveLength(6);
    codeOf(textsTo(victim)[5]!);
    now -= 86_400_000;
  });

  it('codes from one account: at most 10 texts a day over any numbers (create-and-delete loops included), then 429', async () => {
    const c = await accountOn('team');
    for (let i = 0; i < 10; i++) {
      const made = await c.contacts.create.mutate({ kind: 'sms', name: `n${i}`, target: newNumber() });
      codeOf(texts.at(-1)!.Message!);
      await c.contacts.delete.mutate({ id: made.id });
    }
    const r = await refusal(c.contacts.create.mutate({ kind: 'sms', name: 'eleventh', target: newNumber() }));
    expect(r.data).toMatchObject({ httpStatus: 429, retryAfterSeconds: expect.any(Number) });
    expect(texts).toHaveLength(10);
  });

  it('codes are spent from the monthly allowance: with none left, a new number is refused (403) untexted', async () => {
    const c = await accountOn('solo');
    await usedThisMonth(c.accountId, PLAN_LIMITS.solo.smsPerMonth);
    const r = await refusal(c.contacts.create.mutate({ kind: 'sms', name: 'phone', target: newNumber() }));
    expect(r.data).toMatchObject({ httpStatus: 403 });
    expect(r.message).toMatch(/50 SMS this month are used up/);
    expect(texts).toEqual([]);
  });
});

describe('sms alerts', () => {
  it('a monitor going down texts a short message: the name cleaned, no target URL or token, a link to the monitor', async () => {
    const c = await accountOn('solo');
    const phone = await verifiedSms(c);
    const m = await downMonitor(c, 'Shop\n\u202Eevil https://phish.example/login CALL NOW', [phone.id]);
    await dispatchDue(t.svc);
    const [, alert] = textsTo(phone.number);
    expect(alert).toBe(`Vigil: DOWN Shop evil phish.example/login... - HTTP 500. http://app.test/monitors/${m.id}`);
    expect(alert).not.toMatch(/[\n\u202E]|s3cret|:\/\/phish/);
    expect(alert!.length).toBeLessThanOrEqual(160);
    const { items } = await c.alerts.deliveries.query({ contactId: phone.id, limit: 5 });
    expect(items[0]).toMatchObject({ type: 'monitor.down', status: 'delivered', history: [{ response: expect.stringContaining('accepted by SNS') }] });
  });

  it('every format stays within one segment for a long name, and says STILL DOWN for a reminder', () => {
    const monitor = { id: 'mon_abcdefghijklmnopqrstuvwx', name: 'A'.repeat(100), url: 'https://x.example/?key=secret' };
    const at = new Date(now);
    const down = smsText({ id: 'evt_1', type: 'monitor.down', createdAt: at, data: { monitor, reason: 'R'.repeat(300), reminder: 3 } }, 'https://app.vigil.example');
    expect(down).toMatch(/^Vigil: STILL DOWN A{29}\.\.\. - R{29}\.\.\.\. https:\/\/app\.vigil\.example\/monitors\/mon_/);
    expect(down.length).toBeLessThanOrEqual(160);
    expect(down).not.toContain('secret');
    const up = smsText({ id: 'evt_2', type: 'monitor.up', createdAt: at, data: { monitor, durationSeconds: 330 } }, 'https://app.vigil.example');
    expect(up).toMatch(/^Vigil: UP A{29}\.\.\. after 5m 30s\. https:/);
  });

  it('at the allowance an alert is skipped, not sent: the delivery log says why, the plan & usage screen counts it', async () => {
    const c = await accountOn('solo');
    const phone = await verifiedSms(c);
    await usedThisMonth(c.accountId, PLAN_LIMITS.solo.smsPerMonth);
    await downMonitor(c, 'Over budget', [phone.id]);
    await dispatchDue(t.svc);
    expect(textsTo(phone.number)).toHaveLength(1); // the code only
    const { items } = await c.alerts.deliveries.query({ contactId: phone.id, limit: 5 });
    expect(items[0]).toMatchObject({
      type: 'monitor.down',
      status: 'skipped',
      attempts: 0,
      history: [],
      lastError: 'not sent: the Solo plan\'s 50 SMS this month are used up; more are sent from the 1st (UTC)',
    });
    const usage = await c.account.usage.query();
    expect(usage.counted).toContainEqual({ limit: 'smsPerMonth', used: 50, max: 50 });
    expect(usage.sms).toEqual({ skippedThisMonth: 1, resetsAt: new Date(monthEnd(now)).toISOString() });
  });

  it('raced at the edge: 12 sends from two processes at once, 3 texts left, exactly 3 go', async () => {
    const c = await accountOn('team');
    const phone = await verifiedSms(c);
    const limit = PLAN_LIMITS.team.smsPerMonth;
    await usedThisMonth(c.accountId, limit - 3);
    const [contact] = await t.svc.db.select().from(alertContacts).where(eq(alertContacts.id, phone.id));
    const other = await buildServices(t.svc.config, { log: createLogger(() => undefined), scheduler: t.scheduler, now: () => now });
    try {
      const before = texts.length;
      const event = { id: 'evt_race', type: 'test' as const, createdAt: new Date(now), data: { contact: { id: phone.id, name: phone.name } } };
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => sendDelivery(i % 2 ? other : t.svc, event, contact!)));
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      expect(results.filter((r) => r.skipped)).toHaveLength(9);
      expect(texts.length - before).toBe(3);
      const usage = await c.account.usage.query();
      expect(usage.counted).toContainEqual({ limit: 'smsPerMonth', used: limit, max: limit });
    } finally {
      other.alerts.stop();
      other.db.$client.close();
    }
  });

  it('a text SNS refused is given back to the allowance and not retried; throttling is retried', async () => {
    const c = await accountOn('solo');
    const phone = await verifiedSms(c);
    await usedThisMonth(c.accountId, 10);
    sns.reset();
    sns.on(PublishCommand).rejectsOnce(Object.assign(new Error(`Invalid parameter: PhoneNumber ${phone.number}`), { name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } }));
    await c.contacts.test.mutate({ id: phone.id });
    await dispatchDue(t.svc);
    const [refused] = (await c.alerts.deliveries.query({ contactId: phone.id, limit: 1 })).items;
    expect(refused).toMatchObject({ status: 'failed', lastError: 'SNS InvalidParameterException', history: [{ statusCode: 400 }] });
    expect(JSON.stringify(refused)).not.toContain(phone.number.slice(1)); // the error's message echoes the number: never kept
    expect((await c.account.usage.query()).counted).toContainEqual({ limit: 'smsPerMonth', used: 10, max: 50 });

    sns.reset();
    sns.on(PublishCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
    const m = await downMonitor(c, 'Throttled', [phone.id]);
    await dispatchDue(t.svc);
    const [throttled] = (await c.alerts.deliveries.query({ monitorId: m.id, limit: 1 })).items;
    expect(throttled).toMatchObject({ status: 'pending', lastError: 'SNS ThrottlingException' });
  });
});

describe('sms transports', () => {
  it('locally each text is a file under SMS_DIR (as mail is an .eml), its path logged and never its text', async () => {
    const lines: string[] = [];
    const dir = join(t.svc.config.dataDir, `sms-test-${Date.now()}`);
    const sender = fileSmsSender(dir, createLogger((l) => lines.push(l)));
    const receipt = await sender.send({ to: '+447700900555', text: 'Vigil code: 123456. hello' });
    rememberSecret('Vigil code: 123456');
    const [file] = readdirSync(dir);
    expect(readFileSync(join(dir, file!), 'utf8')).toBe('To: +447700900555\n\nVigil code: 123456. hello\n');
    expect(receipt.response).toContain(file);
    expect(lines.join('\n')).not.toContain('123456');
  });

  it('SMS_TRANSPORT is sns on Lambda and file elsewhere by default', () => {
    const base = { AUTH_SECRET: 'x'.repeat(40), PUBLIC_BASE_URL: 'http://vigil.test' };
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).sms).toEqual({ transport: 'file', dir: './data/sms' });
    expect(() => loadConfig({ ...base, SEALING_SECRET: 'k'.repeat(32), SMS_TRANSPORT: 'file', NODE_ENV: 'production', AWS_LAMBDA_FUNCTION_NAME: 'vigil-notifier', SCHEDULER: 'eventbridge', DATABASE_URL: 'libsql://db.example', MAIL_TRANSPORT: 'ses' }, 'notifier')).toThrow(/SMS_TRANSPORT: must be sns/);
  });
});
