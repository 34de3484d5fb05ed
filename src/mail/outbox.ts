/**
 * Account emails (verification and reset links, notices) are sent after the answer, from an
 * outbox, so that an answer never waits on a mail server: how long it takes says nothing about
 * whether an email was sent, that is whether the address has an account.
 *
 * A row holds the whole message sealed with the secret box, bound to its id: the table holds no
 * link token and no recipient in the clear. The row goes in the same batch as the change that
 * causes it (a new link, a new password); a path that sends nothing writes a decoy (sealed `null`)
 * in its place, so both paths do the same writes and the same wake-up. After the commit the
 * sender is woken: in-process locally (the alert dispatcher's queue), the notifier via SQS on AWS;
 * the local timer or the AWS sweep picks up what a lost wake-up left. A row is deleted once sent
 * (or given up), so the table only ever holds mail in flight.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { secretBoxFor } from '../crypto/secret-box.js';
import { mailOutbox } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { MINUTE_MS } from '../domain/time.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import type { MailMessage } from './port.js';

/** What a row seals: a message and its kind (for logs), or nothing (a decoy). */
type Sealed = { kind: string; message: MailMessage } | null;

/** Longer than a send takes: a claim only lapses when its sender died. */
const LEASE_MS = 5 * MINUTE_MS;
/** Tries before a mail is given up (a link in it lives 30 minutes to a day; the person can ask again). */
export const MAIL_MAX_ATTEMPTS = 5;
const retryDelayMs = (attempts: number) => 30_000 * 2 ** (attempts - 1);
/** A wake-up this recent is still on its way: the sweep leaves the row to it. */
export const MAIL_REENQUEUE_AFTER_MS = 60_000;
const BATCH = 25;

export type QueuedMail = { id: string; insert: BatchItem<'sqlite'> };
export type AccountMail = { to: string; kind: string; email: Omit<MailMessage, 'to'> };

/**
 * The outbox row for one account email, for the batch of the change that causes it; `null` queues
 * a decoy that sends nothing. Wake the sender with `wakeMailSender` once the batch committed.
 */
export function queueMail(svc: Pick<Services, 'db' | 'config' | 'now'>, mail: AccountMail | null): QueuedMail {
  const id = newId('eml');
  const payload: Sealed = mail && { kind: mail.kind, message: { to: mail.to, ...mail.email } };
  const now = svc.now();
  const sealed = secretBoxFor(svc.config).seal(JSON.stringify(payload), id);
  return { id, insert: svc.db.insert(mailOutbox).values({ id, sealed, nextAttemptAt: now, createdAt: now }) };
}

/** After the commit. A failed wake-up loses nothing: the row is the truth, and the poll or the sweep finds it. */
export async function wakeMailSender(svc: Pick<Services, 'alerts' | 'log'>, ids: string[]): Promise<void> {
  try {
    await svc.alerts.enqueue(async () => ids);
  } catch (error) {
    svc.log.warn('account_mail.enqueue_failed', describeError(error));
  }
}

/**
 * Commits `statements` with the outbox row of `mail` (a decoy when null), then wakes the sender.
 * With `writes`, decoy rows fill the batch up to that many statements: a path that writes less
 * than another answer to the same question (a known email against a new one) writes as much.
 */
export async function commitWithMail(svc: Services, statements: BatchItem<'sqlite'>[], mail: AccountMail | null, writes = 0): Promise<void> {
  const queued = [queueMail(svc, mail)];
  while (queued.length + statements.length < writes) queued.push(queueMail(svc, null));
  await svc.db.batch([queued[0]!.insert, ...statements, ...queued.slice(1).map((q) => q.insert)]);
  await wakeMailSender(svc, queued.map((q) => q.id));
}

/** A row when any mail is due: a read, so an idle poll never takes the database's write lock; batchable. */
export function dueMailProbe(svc: Pick<Services, 'db' | 'now'>) {
  const now = svc.now();
  return svc.db.all(sql`SELECT 1 FROM mail_outbox WHERE next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until <= ${now}) LIMIT 1`);
}

async function anyDue(svc: Services): Promise<boolean> {
  return (await dueMailProbe(svc)).length > 0;
}

type Claimed = { id: string; sealed: string; attempts: number };

/** Claims due rows (only among `ids` when given) with a conditional UPDATE: of two senders, one gets each. */
async function claim(svc: Services, token: string, ids?: string[]): Promise<Claimed[]> {
  const now = svc.now();
  const only = ids ? sql`AND id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})` : sql``;
  return svc.db.all<Claimed>(sql`
    UPDATE mail_outbox SET lease_token = ${token}, lease_until = ${now + LEASE_MS}
    WHERE id IN (
      SELECT id FROM mail_outbox
      WHERE next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until <= ${now}) ${only}
      ORDER BY next_attempt_at LIMIT ${BATCH})
    AND (lease_until IS NULL OR lease_until <= ${now})
    RETURNING id, sealed, attempts`);
}

/** Sends every due mail (local: each wake-up and the poll); with `ids`, only those (the notifier). Returns how many rows were settled. */
export async function sendDueMail(svc: Services, ids?: string[]): Promise<number> {
  if (ids?.length === 0) return 0;
  let total = 0;
  for (;;) {
    if (!ids && !(await anyDue(svc))) return total;
    const token = randomBytes(12).toString('base64url');
    const rows = await claim(svc, token, ids);
    if (rows.length === 0) return total;
    const retries = await Promise.all(rows.map((row) => sendOne(svc, row)));
    const outcomes: BatchItem<'sqlite'>[] = rows.map((row, i) => {
      const held = and(eq(mailOutbox.id, row.id), eq(mailOutbox.leaseToken, token));
      const retry = retries[i];
      return retry === undefined
        ? svc.db.delete(mailOutbox).where(held)
        : svc.db.update(mailOutbox).set({ ...retry, leaseToken: null, leaseUntil: null }).where(held);
    });
    await svc.db.batch(outcomes as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    total += rows.length;
    if (ids) return total;
  }
}

/** Sends one claimed row: undefined when it is settled (sent, a decoy, unreadable or given up), else when to try again. */
async function sendOne(svc: Services, row: Claimed): Promise<{ attempts: number; nextAttemptAt: number } | undefined> {
  let payload: Sealed;
  try {
    payload = JSON.parse(secretBoxFor(svc.config).open(row.sealed, row.id)) as Sealed;
  } catch (error) {
    // Moved, tampered with, or sealed under a key no longer configured: no retry opens it.
    svc.log.error('account_mail.unreadable', describeError(error));
    return undefined;
  }
  if (!payload) return undefined;
  try {
    await svc.mailer.send(payload.message);
    svc.log.info('account_mail.sent', { kind: payload.kind });
    return undefined;
  } catch (error) {
    const attempts = row.attempts + 1;
    const givenUp = attempts >= MAIL_MAX_ATTEMPTS;
    // Logged, never shown: the answer went out long ago, and the person can ask again.
    svc.log.error('account_mail.failed', { kind: payload.kind, attempts, givenUp, ...describeError(error) });
    return givenUp ? undefined : { attempts, nextAttemptAt: svc.now() + retryDelayMs(attempts) };
  }
}

/**
 * Every minute on AWS, with the alert sweep: wakes the notifier for mail due again (a retry) or
 * whose wake-up never came (the API died between its commit and its SendMessage). Returns how many.
 */
export async function sweepMail(svc: Services): Promise<number> {
  const now = svc.now();
  const rows = await svc.db.all<{ id: string }>(sql`
    SELECT id FROM mail_outbox
    WHERE next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until <= ${now})
      AND (attempts > 0 OR created_at <= ${now - MAIL_REENQUEUE_AFTER_MS})
    ORDER BY next_attempt_at LIMIT 500`);
  if (rows.length) await svc.alerts.enqueue(async () => rows.map((r) => r.id));
  return rows.length;
}
