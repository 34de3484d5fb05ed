import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createMailer } from '../../src/mail/transports.js';
import { startSmtpServer } from '../support/smtp.js';

const FROM = 'Vigil <alerts@vigil.test>';
const message = { to: 'ops@example.com', subject: '[Vigil] DOWN: API — HTTP 503', text: 'It is down.', html: '<p>It is <b>down</b>.</p>' };

describe('mail transports', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp.close());

  it('smtp: a real SMTP server receives the message with its text and HTML parts', async () => {
    const mailer = createMailer({ transport: 'smtp', from: FROM, url: smtp.url }, createLogger(() => undefined));
    const receipt = await mailer.send(message);
    expect(receipt.response).toMatch(/^250/);
    const [got] = smtp.to('ops@example.com');
    expect(got?.subject).toBe(message.subject);
    expect(got?.from?.text).toContain('alerts@vigil.test');
    expect(got?.text?.trim()).toBe('It is down.');
    expect(got?.html).toContain('<b>down</b>');
  });

  it('file: writes one parseable .eml per message and logs its path, not its body', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-mail-'));
    const lines: string[] = [];
    const mailer = createMailer({ transport: 'file', from: FROM, dir }, createLogger((l) => lines.push(l)));
    await mailer.send(message);
    await mailer.send({ ...message, subject: 'second' });
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(2);
    const parsed = await Promise.all(files.map((f) => simpleParser(readFileSync(join(dir, f)))));
    expect(parsed.map((p) => p.subject).sort()).toEqual([message.subject, 'second'].sort());
    expect(lines.some((l) => l.includes('mail.written') && l.includes(dir))).toBe(true);
    expect(lines.join('\n')).not.toContain('It is down.');
    rmSync(dir, { recursive: true, force: true });
  });

  it('ses: sends the subject and both bodies through SES v2 from MAIL_FROM, and returns its message id', async () => {
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-123' });
    const mailer = createMailer({ transport: 'ses', from: FROM }, createLogger(() => undefined));
    const receipt = await mailer.send({ ...message, html: '<p>It is down.</p>' });
    expect(receipt.messageId).toBe('ses-123');
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.FromEmailAddress).toBe(FROM);
    expect(input.Destination).toEqual({ ToAddresses: ['ops@example.com'] });
    expect(input.Content?.Simple).toEqual({
      Subject: { Data: message.subject, Charset: 'UTF-8' },
      Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: '<p>It is down.</p>', Charset: 'UTF-8' } },
    });
    ses.restore();
  });

  it('config: file is the local default, smtp follows SMTP_URL, and Lambda requires ses', () => {
    expect(loadConfig({ AUTH_SECRET: 'x'.repeat(32) }).mail.transport).toBe('file');
    expect(loadConfig({ AUTH_SECRET: 'x'.repeat(32), SMTP_URL: 'smtp://127.0.0.1:2525' }).mail).toMatchObject({ transport: 'smtp', url: 'smtp://127.0.0.1:2525' });
    expect(() => loadConfig({ AUTH_SECRET: 'x'.repeat(32), MAIL_TRANSPORT: 'smtp' })).toThrow(/SMTP_URL: required/);
    expect(() =>
      loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'f', AUTH_SECRET: 'x'.repeat(32), SCHEDULER: 'eventbridge', CHECKER_FUNCTION_ARN: 'arn:a', SCHEDULER_ROLE_ARN: 'arn:b', DATABASE_URL: 'libsql://db', MAIL_TRANSPORT: 'file' }, 'worker'),
    ).toThrow(/MAIL_TRANSPORT: must be ses on AWS Lambda/);
  });
});
