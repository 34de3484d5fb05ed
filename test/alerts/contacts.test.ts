import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';
import { startSmtpServer } from '../support/smtp.js';
import { refusal, startReceiver, verifyHit } from './support.js';

let t: TestApp;
let strict: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
  receiver = await startReceiver();
  const env = { MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url, ALERT_TEST_CHAT_HOSTS: '127.0.0.1' };
  t = await startTestApp({ env });
  strict = await startTestApp({ env: { ...env, ALLOW_PRIVATE_TARGETS: 'false', ALERT_TEST_CHAT_HOSTS: '' } });
});
afterAll(async () => {
  await t.close();
  await strict.close();
  await smtp.close();
  await receiver.close();
});

const codes: string[] = [];
const codeIn = (text: string) => {
  const code = /Your code: (\d{6})/.exec(text)?.[1];
  rememberSecret(code ? `Your code: ${code}` : null);
  codes.push(code!);
  return code!;
};

describe('alert contacts', () => {
  it("starts with the account's own address, active, and every new monitor alerts it", async () => {
    const c = await t.signUp();
    const contacts = await c.contacts.list.query();
    expect(contacts).toEqual([expect.objectContaining({ kind: 'email', target: c.email, status: 'active', name: 'Account email' })]);
    const m = await c.monitors.create.mutate({ name: 'site', url: receiver.url('/health'), paused: true });
    expect(m.alertContactIds).toEqual([contacts[0]!.id]);
  });

  it('creates a webhook with a whsec_ secret shown once, signs test events with it, and rotates it', async () => {
    const c = await t.signUp();
    const created = await c.contacts.create.mutate({ kind: 'webhook', name: 'ops', target: receiver.url('/ops') });
    rememberSecret(created.signingSecret);
    expect(created.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.signingSecret!.slice(6), 'base64')).toHaveLength(32);
    expect(created.status).toBe('active');
    // Never shown again.
    expect(JSON.stringify(await c.contacts.list.query())).not.toContain(created.signingSecret!.slice(6, 20));

    const { deliveryId } = await c.contacts.test.mutate({ id: created.id });
    await receiver.waitFor(() => receiver.at('/ops').length === 1);
    const hit = receiver.at('/ops')[0]!;
    expect(verifyHit(created.signingSecret!, hit)).toMatchObject({ type: 'test', data: { contact: { id: created.id } } });
    expect(hit.json.timestamp).toEqual(expect.any(String));
    expect(hit.headers['webhook-id']).toMatch(/^evt_/);
    const { items } = await c.alerts.deliveries.query({ contactId: created.id, limit: 10 });
    expect(items).toEqual([expect.objectContaining({ id: deliveryId, type: 'test', status: 'delivered', attempts: 1 })]);
    expect(items[0]!.history).toEqual([expect.objectContaining({ statusCode: 200, error: null })]);

    const rotated = await c.contacts.rotateSecret.mutate({ id: created.id });
    rememberSecret(rotated.signingSecret);
    expect(rotated.signingSecret).not.toBe(created.signingSecret);
    await c.contacts.test.mutate({ id: created.id });
    await receiver.waitFor(() => receiver.at('/ops').length === 2);
    const second = receiver.at('/ops')[1]!;
    expect(() => verifyHit(created.signingSecret!, second)).toThrow();
    expect(verifyHit(rotated.signingSecret!, second)).toMatchObject({ type: 'test' });
  });

  it('verifies an email contact with the mailed code; five wrong codes void it; resends are throttled', async () => {
    const c = await t.signUp();
    const address = `pager-${Math.random().toString(36).slice(2)}@example.com`;
    const pending = await c.contacts.create.mutate({ kind: 'email', name: 'pager', target: address });
    expect(pending).toMatchObject({ status: 'pending', signingSecret: null });
    await smtp.waitFor(() => smtp.to(address).length === 1);
    const mail = smtp.to(address)[0]!;
    const code = codeIn(mail.text ?? '');
    expect(mail.text).toContain(`/contacts/verify#contact=${pending.id}&code=${code}`);
    // A pending contact cannot be sent to, even as a test.
    expect((await refusal(c.contacts.test.mutate({ id: pending.id }))).data.httpStatus).toBe(409);

    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await refusal(c.contacts.verify.mutate({ id: pending.id, code: wrong }));
      expect(r.data).toMatchObject({ httpStatus: 400, fieldErrors: [{ path: 'code', message: 'wrong code' }] });
    }
    // Voided: even the right code no longer works.
    expect((await refusal(c.contacts.verify.mutate({ id: pending.id, code }))).data.httpStatus).toBe(409);

    await c.contacts.resendVerification.mutate({ id: pending.id });
    await smtp.waitFor(() => smtp.to(address).length === 2);
    const fresh = codeIn(smtp.to(address)[1]!.text ?? '');
    const active = await c.contacts.verify.mutate({ id: pending.id, code: fresh });
    expect(active.status).toBe('active');

    // Changing the address sends a new code and the contact is pending again.
    const moved = `moved-${Math.random().toString(36).slice(2)}@example.com`;
    expect(await c.contacts.update.mutate({ id: pending.id, target: moved })).toMatchObject({ status: 'pending', target: moved });
    await smtp.waitFor(() => smtp.to(moved).length === 1);
    codeIn(smtp.to(moved)[0]!.text ?? '');
    // Three resends per 15 minutes (one was used above).
    await c.contacts.resendVerification.mutate({ id: pending.id });
    await c.contacts.resendVerification.mutate({ id: pending.id });
    const throttled = await refusal(c.contacts.resendVerification.mutate({ id: pending.id }));
    expect(throttled.data).toMatchObject({ httpStatus: 429, retryAfterSeconds: expect.any(Number) });
    await smtp.waitFor(() => smtp.to(moved).length === 3);
    for (const m of smtp.to(moved)) codeIn(m.text ?? '');
    // Codes are too short for the shared log scan: no log line carries one as a value.
    for (const code of codes) expect(t.logs.filter((l) => l.includes(`"${code}"`) || l.includes(`code=${code}`))).toEqual([]);
  });

  it('limits verification emails per account, so creating and deleting contacts cannot spam an address', async () => {
    const c = await t.signUp();
    const victim = `victim-${Math.random().toString(36).slice(2)}@example.com`;
    for (let i = 0; i < 10; i++) {
      const contact = await c.contacts.create.mutate({ kind: 'email', name: 'again', target: victim });
      await c.contacts.delete.mutate({ id: contact.id });
    }
    const r = await refusal(c.contacts.create.mutate({ kind: 'email', name: 'again', target: victim }));
    expect(r.data).toMatchObject({ httpStatus: 429, retryAfterSeconds: expect.any(Number) });
    await smtp.waitFor(() => smtp.to(victim).length === 10);
    for (const m of smtp.to(victim)) codeIn(m.text ?? '');
    expect(await c.contacts.list.query()).toHaveLength(1);
  });

  it('enforces the plan limit (Free: 5 contacts, the own address included)', async () => {
    const c = await t.signUp();
    for (let i = 0; i < 4; i++) {
      const w = await c.contacts.create.mutate({ kind: 'webhook', name: `w${i}`, target: receiver.url(`/w${i}`) });
      rememberSecret(w.signingSecret);
    }
    const r = await refusal(c.contacts.create.mutate({ kind: 'webhook', name: 'one too many', target: receiver.url('/x') }));
    expect(r.data).toMatchObject({ httpStatus: 403, limit: { plan: 'free', limit: 5, current: 5 } });
  });

  it('accepts only Slack and Discord webhook URLs for those kinds', async () => {
    const c = await strict.signUp();
    const bad = async (kind: 'slack' | 'discord', target: string) => (await refusal(c.contacts.create.mutate({ kind, name: 'chat', target }))).data;
    expect(await bad('slack', 'https://example.com/services/T/B/x')).toMatchObject({ httpStatus: 400, fieldErrors: [{ path: 'target' }] });
    expect(await bad('slack', 'http://hooks.slack.com/services/T0/B0/xyz')).toMatchObject({ httpStatus: 400 });
    expect(await bad('discord', 'https://discord.com/not-webhooks/1/abc')).toMatchObject({ httpStatus: 400 });
    // The test-only host override is off in this app: a loopback "Slack" is refused.
    expect(await bad('slack', `${receiver.base}/services/T0/B0/xyz`)).toMatchObject({ httpStatus: 400 });
    expect(await bad('discord', 'https://evil.example/api/webhooks/1/abc')).toMatchObject({ httpStatus: 400 });
  });

  it('refuses a webhook to a private or loopback address when private targets are not allowed', async () => {
    const c = await strict.signUp();
    for (const target of ['https://127.0.0.1/hook', 'https://10.0.0.8/hook', 'https://169.254.169.254/latest', 'https://localhost/hook']) {
      const r = await refusal(c.contacts.create.mutate({ kind: 'webhook', name: 'inside', target }));
      expect(r.data, target).toMatchObject({ httpStatus: 400, fieldErrors: [{ path: 'target', message: expect.stringContaining('private') }] });
    }
    const r = await refusal(c.contacts.create.mutate({ kind: 'webhook', name: 'plain', target: 'http://example.com/hook' }));
    expect(r.data).toMatchObject({ httpStatus: 400, fieldErrors: [{ path: 'target', message: 'must be an https URL' }] });
  });

  it("answers another account's contact exactly as a missing one, and checks monitors' alertContactIds", async () => {
    const a = await t.signUp();
    const b = await t.signUp();
    const [own] = await a.contacts.list.query();
    const r = await refusal(b.contacts.update.mutate({ id: own!.id, name: 'mine now' }));
    expect(r.data.httpStatus).toBe(404);
    expect((await refusal(b.contacts.test.mutate({ id: own!.id }))).data.httpStatus).toBe(404);
    const m = await refusal(b.monitors.create.mutate({ name: 'x', url: receiver.url('/h'), paused: true, alertContactIds: [own!.id] }));
    expect(m.data).toMatchObject({ httpStatus: 400, fieldErrors: [{ path: 'alertContactIds' }] });
    const created = await a.monitors.create.mutate({ name: 'x', url: receiver.url('/h'), paused: true, alertContactIds: [] });
    expect(created.alertContactIds).toEqual([]);
    expect((await a.monitors.update.mutate({ id: created.id, alertContactIds: [own!.id] })).alertContactIds).toEqual([own!.id]);
    // Deleting a contact takes it off its monitors.
    await a.contacts.delete.mutate({ id: own!.id });
    expect((await a.monitors.get.query({ id: created.id })).alertContactIds).toEqual([]);
  });
});
