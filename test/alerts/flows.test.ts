import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchDue } from '../../src/alerts/dispatcher.js';
import { GIVE_UP_AFTER_MS } from '../../src/alerts/retry.js';
import { recordCheck } from '../../src/checker/record.js';
import { runCheck } from '../../src/checker/run.js';
import { alertEvents, monitors } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';
import { startSmtpServer } from '../support/smtp.js';
import { startTarget } from '../support/target.js';
import { eventually, readDiscord, startReceiver, verifyHit } from './support.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let target: Awaited<ReturnType<typeof startTarget>>;
let now = Date.UTC(2026, 10, 20, 12, 0, 0);
beforeAll(async () => {
  smtp = await startSmtpServer();
  receiver = await startReceiver();
  target = await startTarget();
  t = await startTestApp({ now: () => now, env: { MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url, ALERT_TEST_CHAT_HOSTS: '127.0.0.1', APP_URL: 'http://app.test' } });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
  await receiver.close();
  await target.close();
});

const fast = { confirmDelayMs: 0 };
let seq = 0;

/** A signed-up account with a webhook at a path of its own, and a monitor of the target alerting every contact. */
async function account(extra: 'none' | 'chat' = 'none') {
  const c = await t.signUp();
  const path = `/hook-${++seq}`;
  const hook = await c.contacts.create.mutate({ kind: 'webhook', name: 'ops', target: receiver.url(path) });
  rememberSecret(hook.signingSecret);
  const pendingAddress = `pending-${seq}@example.com`;
  if (extra === 'chat') {
    await c.contacts.create.mutate({ kind: 'email', name: 'unverified', target: pendingAddress });
    await c.contacts.create.mutate({ kind: 'slack', name: 'slack', target: `${receiver.base}/services/T0${seq}/B0/xyz` });
    await c.contacts.create.mutate({ kind: 'discord', name: 'discord', target: `${receiver.base}/api/webhooks/${seq}/abc` });
  }
  target.always = 200;
  // Created paused so no scheduled check races the test's own; then unpaused behind the scheduler's back.
  const m = await c.monitors.create.mutate({ name: `Shop ${seq}`, url: target.url, paused: true });
  await t.svc.db.update(monitors).set({ paused: false }).where(eq(monitors.id, m.id));
  await runCheck(t.svc, m.id, fast);
  return { c, m, path, secret: hook.signingSecret!, hookId: hook.id, pendingAddress, hits: () => receiver.at(path) };
}

/** Alert emails to an address; the account's own verification email comes first, through the same mailer. */
const alertMailTo = (address: string) => smtp.to(address).filter((m) => m.subject?.startsWith('[Vigil] '));

const eventsOf = (monitorId: string, type: 'monitor.down' | 'monitor.up') =>
  t.svc.db.select().from(alertEvents).where(and(eq(alertEvents.monitorId, monitorId), eq(alertEvents.type, type)));

describe('alert flows', () => {
  it('a monitor goes down: one monitor.down per active contact, within seconds; it recovers: one monitor.up with the duration', async () => {
    const a = await account('chat');
    target.always = 500;
    const started = performance.now();
    await runCheck(t.svc, a.m.id, fast);
    const downAt = now;
    await receiver.waitFor(() => a.hits().length === 1, 3000);
    const latencyMs = Math.round(performance.now() - started);
    const down = verifyHit(a.secret, a.hits()[0]!) as { type: string; data: Record<string, unknown> };
    expect(down).toMatchObject({
      type: 'monitor.down',
      data: { monitor: { id: a.m.id, name: a.m.name, url: target.url }, reason: 'HTTP 500', statusCode: 500, startedAt: new Date(downAt).toISOString() },
    });
    expect(down.data.incidentId).toMatch(/^inc_/);
    await smtp.waitFor(() => alertMailTo(a.c.email).length === 1);
    expect(smtp.to(a.c.email)[0]!.subject).toBe('Confirm your email for Vigil');
    const mail = alertMailTo(a.c.email)[0]!;
    expect(mail.subject).toBe(`[Vigil] DOWN: ${a.m.name} — HTTP 500`);
    expect(mail.text).toContain(`http://app.test/monitors/${a.m.id}`);
    expect(mail.html).toContain(`href="http://app.test/monitors/${a.m.id}"`);
    const slack = await eventually(() => receiver.hits.find((h) => h.path.startsWith(`/services/T0${seq}/`))!.json);
    expect(slack.text).toBe(`[Vigil] DOWN: ${a.m.name} — HTTP 500`);
    expect(slack.blocks).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'section' })]));
    const discord = await eventually(() => receiver.hits.find((h) => h.path === `/api/webhooks/${seq}/abc`)!.json);
    expect(discord).toMatchObject({ embeds: [expect.objectContaining({ url: `http://app.test/monitors/${a.m.id}` })] });
    expect(readDiscord(String(discord.content)).text).toBe(`[Vigil] DOWN: ${a.m.name} — HTTP 500`);
    console.log(`[figures] alert latency (check recorded → webhook received, confirmDelay 0): ${latencyMs} ms`);

    // Still down: no second alert.
    now += 60_000;
    await runCheck(t.svc, a.m.id, fast);
    now += 240_000;
    target.always = 200;
    await runCheck(t.svc, a.m.id, fast);
    await receiver.waitFor(() => a.hits().length === 2, 3000);
    const up = verifyHit(a.secret, a.hits()[1]!) as { type: string; data: Record<string, unknown> };
    expect(up).toMatchObject({ type: 'monitor.up', data: { durationSeconds: 300, resolvedAt: new Date(now).toISOString(), incidentId: down.data.incidentId } });
    await smtp.waitFor(() => alertMailTo(a.c.email).length === 2);
    expect(alertMailTo(a.c.email)[1]!.subject).toBe(`[Vigil] UP: ${a.m.name} after 5m 0s`);
    // The unverified address received its verification code and nothing else.
    expect(smtp.to(a.pendingAddress).map((m) => m.subject)).toEqual(['[Vigil] Confirm this address for alerts']);
    rememberSecret(`Your code: ${/Your code: (\d{6})/.exec(smtp.to(a.pendingAddress)[0]!.text ?? '')?.[1]}`);
    // Exactly two webhook calls, and the history shows each delivery once.
    expect(a.hits()).toHaveLength(2);
    const { items } = await a.c.alerts.deliveries.query({ monitorId: a.m.id, limit: 50 });
    expect(items.map((d) => `${d.type}:${d.status}`).sort()).toEqual([
      ...Array(4).fill('monitor.down:delivered'),
      ...Array(4).fill('monitor.up:delivered'),
    ]);
  });

  it('no alert for a transient failure that the confirmation re-check cleared', async () => {
    const a = await account();
    target.answer(503);
    await runCheck(t.svc, a.m.id, fast);
    expect(await eventsOf(a.m.id, 'monitor.down')).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(a.hits()).toEqual([]);
  });

  it('overlapping invocations of one check give one event and one alert', async () => {
    const a = await account();
    target.always = 500;
    await Promise.all([runCheck(t.svc, a.m.id, fast), runCheck(t.svc, a.m.id, fast), runCheck(t.svc, a.m.id, fast)]);
    await receiver.waitFor(() => a.hits().length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await eventsOf(a.m.id, 'monitor.down')).toHaveLength(1);
    expect(a.hits()).toHaveLength(1);
  });

  it('retries a receiver that answers 500 twice: delivered on the 3rd attempt with the same webhook-id', async () => {
    const a = await account();
    receiver.answerAt(a.path, 500, 500);
    target.always = 500;
    await runCheck(t.svc, a.m.id, fast);
    await receiver.waitFor(() => a.hits().length === 1);
    const pending = async () => (await a.c.alerts.deliveries.query({ contactId: a.hookId, limit: 5 })).items[0]!;
    const first = await eventually(async () => {
      const d = await pending();
      expect(d.attempts).toBe(1);
      return d;
    });
    // About 30 s later (±20 % jitter).
    const wait1 = Date.parse(first.nextAttemptAt!) - now;
    expect(wait1).toBeGreaterThanOrEqual(24_000);
    expect(wait1).toBeLessThanOrEqual(36_000);
    now += wait1;
    await dispatchDue(t.svc);
    await receiver.waitFor(() => a.hits().length === 2);
    const second = await eventually(async () => {
      const d = await pending();
      expect(d.attempts).toBe(2);
      return d;
    });
    const wait2 = Date.parse(second.nextAttemptAt!) - now;
    expect(wait2).toBeGreaterThanOrEqual(96_000);
    expect(wait2).toBeLessThanOrEqual(144_000);
    now += wait2;
    await dispatchDue(t.svc);
    await receiver.waitFor(() => a.hits().length === 3);
    const done = await eventually(async () => {
      const d = await pending();
      expect(d.status).toBe('delivered');
      return d;
    });
    expect(done.attempts).toBe(3);
    expect(done.history.map((h) => h.statusCode)).toEqual([500, 500, 200]);
    expect(new Set(a.hits().map((h) => h.headers['webhook-id'])).size).toBe(1);
    for (const hit of a.hits()) expect(verifyHit(a.secret, hit)).toMatchObject({ type: 'monitor.down' });
  });

  it('gives up on a receiver down for more than 24 h, and shows the failed delivery to the user', async () => {
    // A real alert: a test event is tried once (test/teams/throttles.test.ts).
    const a = await account();
    receiver.answerAt(a.path, ...Array<number>(20).fill(503));
    target.always = 500;
    const eventAt = now;
    await runCheck(t.svc, a.m.id, fast);
    const latest = async () => (await a.c.alerts.deliveries.query({ contactId: a.hookId, limit: 5 })).items[0]!;
    await eventually(async () => expect((await latest()).attempts).toBe(1));
    for (let i = 0; i < 30 && (await latest()).status === 'pending'; i++) {
      const d = await latest();
      now = Math.max(now, Date.parse(d.nextAttemptAt!));
      await dispatchDue(t.svc);
    }
    const d = await latest();
    expect(d).toMatchObject({ type: 'monitor.down', status: 'failed', lastError: expect.stringContaining('503'), nextAttemptAt: null });
    // 30 s, 2 min, 10 min, 30 min, 2 h, then every 6 h, then the deadline; with ±20 % jitter the
    // 6-hour steps are 4.8–7.2 h, so 8 to 11 attempts fit in the 24 h (11 when every draw is short).
    expect(d.attempts).toBeGreaterThanOrEqual(8);
    expect(d.attempts).toBeLessThanOrEqual(11);
    expect(Date.parse(d.history.at(-1)!.attemptedAt) - eventAt).toBeGreaterThanOrEqual(GIVE_UP_AFTER_MS);
    expect(Date.parse(d.history.at(-2)!.attemptedAt) - eventAt).toBeLessThan(GIVE_UP_AFTER_MS);
  });

  it('fails at once on a 4xx other than 408 and 429', async () => {
    const a = await account();
    receiver.answerAt(a.path, 410);
    await a.c.contacts.test.mutate({ id: a.hookId });
    const d = await eventually(async () => {
      const item = (await a.c.alerts.deliveries.query({ contactId: a.hookId, limit: 1 })).items[0]!;
      expect(item.status).toBe('failed');
      return item;
    });
    expect(d).toMatchObject({ attempts: 1, lastError: 'HTTP 410' });
  });

  it('refuses to send to a private address at send time when private targets are not allowed', async () => {
    const a = await account();
    t.svc.config.allowPrivateTargets = false;
    try {
      await a.c.contacts.test.mutate({ id: a.hookId });
      const d = await eventually(async () => {
        const item = (await a.c.alerts.deliveries.query({ contactId: a.hookId, limit: 1 })).items[0]!;
        expect(item.status).toBe('failed');
        return item;
      });
      expect(d.lastError).toBe('blocked: private address 127.0.0.1');
      expect(a.hits()).toEqual([]);
    } finally {
      t.svc.config.allowPrivateTargets = true;
    }
  });

  it('warns once per threshold per certificate (here 14, then 7 days)', async () => {
    const a = await account();
    const row = (await t.svc.db.query.monitors.findFirst({ where: eq(monitors.id, a.m.id) }))!;
    const day = 86_400_000;
    const certExpiresAt = new Date(now + 10 * day);
    const ok = { ok: true, statusCode: 200, responseTimeMs: 5, reason: null, certExpiresAt };
    await recordCheck(t.svc, row, ok, now);
    await recordCheck(t.svc, row, ok, now + 60_000);
    now += 4 * day;
    await recordCheck(t.svc, row, ok, now);
    await receiver.waitFor(() => a.hits().length === 2);
    // Sent in parallel, so in either order.
    const bodies = a.hits()
      .map((h) => verifyHit(a.secret, h) as { type: string; data: Record<string, unknown> })
      .sort((x, y) => Number(y.data.thresholdDays) - Number(x.data.thresholdDays));
    expect(bodies.map((b) => [b.type, b.data.thresholdDays, b.data.daysLeft])).toEqual([
      ['certificate.expiring', 14, 10],
      ['certificate.expiring', 7, 6],
    ]);
    expect(bodies[0]!.data.certExpiresAt).toBe(certExpiresAt.toISOString());
  });
});
