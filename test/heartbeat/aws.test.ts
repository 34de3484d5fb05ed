import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsAlertQueue } from '../../src/alerts/queue.js';
import { pingTransition } from '../../src/checker/ping-transition.js';
import { alertDeliveries, alertEvents } from '../../src/db/schema.js';
import { mountPing } from '../../src/heartbeat/route.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';

/**
 * On AWS the ping Lambda wakes the notifier as the checker does: after a ping's transition commits,
 * the new deliveries' ids go to the notify queue (SQS faked at the SDK boundary). The function is
 * composed as src/entry/lambda/ping/ composes it: the ping door, the database, the SQS alert queue.
 */
const sqs = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/vigil-test-notify';
const sent: string[] = [];
let t: TestApp;
let now = Date.UTC(2026, 10, 20, 12, 0);
let handler: ReturnType<typeof handle>;
beforeAll(async () => {
  t = await startTestApp({ now: () => now });
  sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
    expect(input.QueueUrl).toBe(QUEUE_URL);
    for (const e of input.Entries ?? []) sent.push(e.MessageBody!);
    return { Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: 'x', MD5OfMessageBody: 'x' })), Failed: [] };
  });
  const app = new Hono();
  mountPing(app, { db: t.svc.db, log: t.svc.log, now: () => now, alerts: awsAlertQueue({ notifyQueueUrl: QUEUE_URL }) }, pingTransition);
  handler = handle(app);
});
afterAll(async () => {
  sqs.restore();
  await t.close();
});

const event = (path: string): LambdaEvent =>
  ({
    version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', headers: { host: 'api.example.com' },
    requestContext: { http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'cron' }, domainName: 'api.example.com', requestId: 'r', timeEpoch: now },
    isBase64Encoded: false,
  }) as unknown as LambdaEvent;

describe('the ping Lambda', () => {
  it('sends the delivery ids of monitor.down and monitor.up to the notify queue, and nothing for a ping that changes nothing', async () => {
    const c = await t.signUp();
    const hook = await c.contacts.create.mutate({ kind: 'webhook', name: 'ops', target: 'https://hooks.example.com/vigil' });
    rememberSecret(hook.signingSecret);
    const m = await c.monitors.create.mutate({ kind: 'heartbeat', name: 'backup', intervalSeconds: 3600 });
    await t.scheduler.remove(m.id);
    const token = m.pingUrl!.split('/').pop()!;
    rememberSecret(token);
    const idsOf = async (type: 'monitor.down' | 'monitor.up') =>
      (await t.svc.db.select({ id: alertDeliveries.id }).from(alertDeliveries).innerJoin(alertEvents, eq(alertEvents.id, alertDeliveries.eventId))
        .where(eq(alertEvents.type, type))).map((d) => JSON.stringify({ deliveryId: d.id }));

    expect((await handler(event(`/ping/${token}`)) as { statusCode: number }).statusCode).toBe(200); // pending → up: no incident, nothing to send
    expect(sent).toEqual([]);
    now += 60_000;
    expect((await handler(event(`/ping/${token}/fail`)) as { statusCode: number }).statusCode).toBe(200);
    const down = await idsOf('monitor.down');
    expect(down.length).toBeGreaterThan(0);
    expect(sent).toEqual(down);
    now += 60_000;
    await handler(event(`/ping/${token}`));
    expect(sent).toEqual([...down, ...(await idsOf('monitor.up'))]);
    const before = sent.length;
    await handler(event(`/ping/${token}`)); // up, pinged again
    expect(sent).toHaveLength(before);
    // Each delivery is noted as enqueued, so the sweep does not send it again.
    const rows = await t.svc.db.select({ enqueuedAt: alertDeliveries.enqueuedAt }).from(alertDeliveries).where(eq(alertDeliveries.monitorId, m.id));
    expect(rows.every((r) => r.enqueuedAt !== null)).toBe(true);
  });
});
