import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handleNotifyBatch } from '../../src/alerts/notifier.js';
import { sweepDeliveries } from '../../src/alerts/sweep.js';
import { runCheck } from '../../src/checker/run.js';
import { loadConfig } from '../../src/config.js';
import { alertDeliveries, monitors } from '../../src/db/schema.js';
import type { Services } from '../../src/services.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';
import { startTarget } from '../support/target.js';
import { startReceiver, verifyHit } from './support.js';

/** AWS is faked at the SDK boundary: every SendMessageBatch is kept, as the queue would keep it. */
const sqs = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/vigil-test-notify';
let sent: { messageId: string; body: string }[] = [];
const accept = () =>
  sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
    expect(input.QueueUrl).toBe(QUEUE_URL);
    for (const e of input.Entries ?? []) sent.push({ messageId: `m-${sent.length}`, body: e.MessageBody! });
    return { Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: 'x', MD5OfMessageBody: 'x' })), Failed: [] };
  });

let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let target: Awaited<ReturnType<typeof startTarget>>;
let now = Date.UTC(2026, 10, 20, 12, 0, 0);
beforeAll(async () => {
  receiver = await startReceiver();
  target = await startTarget();
  t = await startTestApp({ now: () => now, env: { NOTIFY_QUEUE_URL: QUEUE_URL } });
});
afterEach(() => {
  sqs.reset();
  sent = [];
});
afterAll(async () => {
  sqs.restore();
  await t.close();
  await receiver.close();
  await target.close();
});

async function downMonitor() {
  const c = await t.signUp();
  sent = []; // the sign-up's verification mail is woken through the same queue; these tests count deliveries
  const path = `/aws-${Math.random().toString(36).slice(2)}`;
  const hook = await c.contacts.create.mutate({ kind: 'webhook', name: 'ops', target: receiver.url(path) });
  rememberSecret(hook.signingSecret);
  const m = await c.monitors.create.mutate({ name: 'api', url: target.url, paused: true, alertContactIds: [hook.id] });
  await t.svc.db.update(monitors).set({ paused: false }).where(eq(monitors.id, m.id));
  target.always = 500;
  await runCheck(t.svc, m.id, { confirmDelayMs: 0 });
  return { c, m, hook, secret: hook.signingSecret!, hits: () => receiver.at(path) };
}

const records = () => ({ Records: sent.map((s) => ({ messageId: s.messageId, body: s.body })) });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('alerts on AWS (SQS wake-ups, notifier, sweep)', () => {
  it('the checker enqueues the new delivery ids after its commit; the notifier sends them once, even if SQS delivers twice', async () => {
    accept();
    const a = await downMonitor();
    const [delivery] = await t.svc.db.select().from(alertDeliveries).where(eq(alertDeliveries.monitorId, a.m.id));
    expect(sent.map((s) => JSON.parse(s.body))).toEqual([{ deliveryId: delivery!.id }]);
    // Nothing is sent in-process on AWS: the queue is the only wake-up.
    await pause(100);
    expect(a.hits()).toEqual([]);

    expect(await handleNotifyBatch(t.svc, records())).toEqual({ batchItemFailures: [] });
    expect(a.hits()).toHaveLength(1);
    expect(verifyHit(a.secret, a.hits()[0]!)).toMatchObject({ type: 'monitor.down' });
    // At-least-once: the same message again sends nothing.
    expect(await handleNotifyBatch(t.svc, records())).toEqual({ batchItemFailures: [] });
    expect(a.hits()).toHaveLength(1);
  });

  it('a crash between commit and enqueue: the sweep enqueues the delivery and the notifier sends it', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('connection reset by the queue'));
    const a = await downMonitor();
    expect(sent).toEqual([]);
    expect(t.logs.some((l) => l.includes('"alerts.enqueue_failed"'))).toBe(true);
    const [row] = await t.svc.db.select().from(alertDeliveries).where(eq(alertDeliveries.monitorId, a.m.id));
    expect(row).toMatchObject({ status: 'pending', enqueuedAt: null });

    sqs.reset();
    accept();
    expect(await sweepDeliveries(t.svc)).toBeGreaterThanOrEqual(1);
    expect(sent.map((s) => JSON.parse(s.body).deliveryId)).toContain(row!.id);
    // Just enqueued: a second sweep a moment later does not double it.
    const before = sent.length;
    await sweepDeliveries(t.svc);
    expect(sent.length).toBe(before);

    await handleNotifyBatch(t.svc, records());
    expect(a.hits()).toHaveLength(1);
    expect(await t.svc.db.query.alertDeliveries.findFirst({ where: eq(alertDeliveries.id, row!.id) })).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('the sweep re-enqueues a retry once it is due', async () => {
    accept();
    const a = await downMonitor();
    const [row] = await t.svc.db.select().from(alertDeliveries).where(eq(alertDeliveries.monitorId, a.m.id));
    // The receiver fails the first attempt.
    receiver.answerAt(new URL(a.hook.target).pathname, 503);
    await handleNotifyBatch(t.svc, records());
    const pending = await t.svc.db.query.alertDeliveries.findFirst({ where: eq(alertDeliveries.id, row!.id) });
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    sent = [];
    expect(await sweepDeliveries(t.svc)).toBe(0); // not due yet
    now = pending!.nextAttemptAt;
    await sweepDeliveries(t.svc);
    expect(sent.map((s) => JSON.parse(s.body).deliveryId)).toEqual([row!.id]);
    await handleNotifyBatch(t.svc, records());
    expect(await t.svc.db.query.alertDeliveries.findFirst({ where: eq(alertDeliveries.id, row!.id) })).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(new Set(a.hits().map((h) => h.headers['webhook-id'])).size).toBe(1);
  });

  it('reports only the messages it could not process (ReportBatchItemFailures); drops malformed ones', async () => {
    const broken: Services = {
      ...t.svc,
      db: new Proxy(t.svc.db, {
        get: (db, prop, receiver) => (prop === 'all' ? () => Promise.reject(new Error('database is down')) : Reflect.get(db, prop, receiver)),
      }),
    };
    const result = await handleNotifyBatch(broken, {
      Records: [
        { messageId: 'ok-shape', body: JSON.stringify({ deliveryId: 'dlv_abc123' }) },
        { messageId: 'garbage', body: 'not json' },
      ],
    });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'ok-shape' }] });
  });

  it('config: the chat-host and Telegram API test overrides are honoured only under NODE_ENV=test and never on Lambda', () => {
    const base = { AUTH_SECRET: 'x'.repeat(32), ALERT_TEST_CHAT_HOSTS: '127.0.0.1', ALERT_TEST_TELEGRAM_API: 'http://127.0.0.1:9' };
    expect(loadConfig({ ...base, NODE_ENV: 'test' })).toMatchObject({ chatWebhookTestHosts: ['127.0.0.1'], telegramApiOrigin: 'http://127.0.0.1:9' });
    expect(loadConfig({ ...base, NODE_ENV: 'development' })).toMatchObject({ chatWebhookTestHosts: [], telegramApiOrigin: 'https://api.telegram.org' });
    const lambda = loadConfig(
      { ...base, SEALING_SECRET: 'k'.repeat(32), NODE_ENV: 'test', AWS_LAMBDA_FUNCTION_NAME: 'vigil-notifier', SCHEDULER: 'eventbridge', DATABASE_URL: 'libsql://db.example', MAIL_TRANSPORT: 'ses' },
      'notifier',
    );
    expect(lambda.chatWebhookTestHosts).toEqual([]);
    expect(lambda.telegramApiOrigin).toBe('https://api.telegram.org');
    expect(lambda.allowPrivateTargets).toBe(false);
  });
});
