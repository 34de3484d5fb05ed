import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashLinkToken } from '../../src/accounts/link-tokens.js';
import { handleNotifyBatch } from '../../src/alerts/notifier.js';
import { secretBoxFor } from '../../src/crypto/secret-box.js';
import { MAIL_REENQUEUE_AFTER_MS, sweepMail } from '../../src/mail/outbox.js';
import { rememberSecret } from '../support/ledger.js';
import { appWithMail, newEmail } from './support.js';

type Env = Awaited<ReturnType<typeof appWithMail>>;
const rows = async (env: Env) =>
  (await env.t.svc.db.$client.execute('SELECT * FROM mail_outbox ORDER BY created_at')).rows.map((r) => ({ ...r }) as Record<string, unknown>);

async function waitUntil(check: () => Promise<boolean>, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('account mail waits in an outbox that keeps no link in the clear', () => {
  let env: Env;
  beforeAll(async () => {
    env = await appWithMail();
    env.t.svc.alerts.stop(); // nothing is sent: the rows stay to be read
  });
  afterAll(() => env.close());

  it('a link, its address and its words are sealed to their row; an unknown address writes a decoy row of the same shape', async () => {
    const email = newEmail('sealed');
    await env.t.client().auth.register.mutate({ email, password: 'correct horse battery' });
    await env.t.client().auth.requestPasswordReset.mutate({ email });
    await env.t.client().auth.requestPasswordReset.mutate({ email: newEmail('nobody') });
    const queued = await rows(env);
    expect(queued).toHaveLength(3);
    expect(new Set(queued.map((r) => Object.keys(r).join()))).toHaveProperty('size', 1);
    const box = secretBoxFor(env.t.svc.config);
    const opened = queued.map((r) => JSON.parse(box.open(String(r.sealed), String(r.id))) as { message: { to: string; text: string } } | null);
    const tokens = opened.flatMap((o) => (o ? [/#token=([A-Za-z0-9_-]{43})/.exec(o.message.text)![1]!] : []));
    tokens.forEach(rememberSecret);
    expect(opened.map((o) => o?.message.to ?? null)).toEqual([email, email, null]);
    expect(tokens).toHaveLength(2);
    const stored = JSON.stringify(queued);
    for (const secret of [...tokens, email, 'token=', 'Vigil']) expect(stored).not.toContain(secret);
    // The link works from its digest alone; a sealed value copied onto another row does not open.
    for (const token of tokens) {
      const found = await env.t.svc.db.$client.execute({ sql: 'SELECT count(*) AS n FROM account_tokens WHERE token_hash = ?', args: [hashLinkToken(token)] });
      expect(Number(found.rows[0]!.n)).toBe(1);
    }
    expect(() => box.open(String(queued[0]!.sealed), String(queued[1]!.id))).toThrow();
  });
});

describe('account mail is sent after the answer, and retried', () => {
  let env: Env;
  beforeAll(async () => {
    env = await appWithMail();
  });
  afterAll(() => env.close());

  it('a mail the server refuses is tried again later and arrives; the row is gone once sent', async () => {
    const email = newEmail('retry');
    await env.t.client().auth.register.mutate({ email, password: 'correct horse battery' });
    await env.linkTo(email, 'verify-email');
    env.smtp.refuse(1);
    await env.t.client().auth.requestPasswordReset.mutate({ email });
    await waitUntil(async () => (await rows(env)).some((r) => Number(r.attempts) === 1));
    expect(env.smtp.to(email)).toHaveLength(1); // the verification only
    env.clock.now += 30_000;
    await env.t.svc.alerts.enqueue(async () => []);
    expect(await env.linkTo(email, 'reset-password')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await waitUntil(async () => (await rows(env)).length === 0);
  });

  it('a decoy sends nothing and leaves nothing', async () => {
    const before = env.smtp.inbox.length;
    const nobody = newEmail('nobody');
    await env.t.client().auth.requestPasswordReset.mutate({ email: nobody });
    await waitUntil(async () => (await rows(env)).length === 0);
    expect(env.smtp.inbox.length).toBe(before);
    expect(env.t.logs.filter((l) => l.includes('account_mail.sent'))).toHaveLength(2);
  });
});

describe('on AWS the notifier sends account mail, woken through SQS', () => {
  const sqs = mockClient(SQSClient);
  const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/vigil-test-notify';
  let env: Env;
  const sent: { messageId: string; body: string }[] = [];
  beforeAll(async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      for (const e of input.Entries ?? []) sent.push({ messageId: `m-${sent.length}`, body: e.MessageBody! });
      return { Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: 'x', MD5OfMessageBody: 'x' })), Failed: [] };
    });
    env = await appWithMail({ NOTIFY_QUEUE_URL: QUEUE_URL });
  });
  afterAll(async () => {
    sqs.restore();
    await env.close();
  });
  const records = () => ({ Records: sent.splice(0).map((s) => ({ messageId: s.messageId, body: s.body })) });

  it('the answer enqueues {"mailId"}; the notifier opens and sends it; the sweep re-wakes a lost one', async () => {
    const email = newEmail('aws');
    await env.t.client().auth.register.mutate({ email, password: 'correct horse battery' });
    expect(sent.map((s) => JSON.parse(s.body))).toEqual([{ mailId: expect.stringMatching(/^eml_[a-z0-9]{24}$/) }]);
    expect(env.smtp.to(email)).toHaveLength(0);
    expect(await handleNotifyBatch(env.t.svc, records())).toEqual({ batchItemFailures: [] });
    await env.linkTo(email, 'verify-email');
    expect(await rows(env)).toHaveLength(0);

    // SQS down at answer time: the answer is the same, the row waits, the sweep wakes the notifier.
    sqs.on(SendMessageBatchCommand).rejects(new Error('ServiceUnavailable'));
    await env.t.client().auth.requestPasswordReset.mutate({ email });
    expect(await rows(env)).toHaveLength(1);
    expect(await sweepMail(env.t.svc)).toBe(0); // a wake-up may still be on its way
    env.clock.now += MAIL_REENQUEUE_AFTER_MS + 1;
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      for (const e of input.Entries ?? []) sent.push({ messageId: `m-${sent.length}`, body: e.MessageBody! });
      return { Successful: [], Failed: [] };
    });
    expect(await sweepMail(env.t.svc)).toBe(1);
    await handleNotifyBatch(env.t.svc, records());
    await env.linkTo(email, 'reset-password');
    expect(await rows(env)).toHaveLength(0);
  });
});
