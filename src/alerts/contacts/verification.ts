/**
 * Email and SMS contacts prove they want alerts: a 6-digit code (by email with a link carrying it,
 * or by text) goes to the address or number; until it comes back the contact receives nothing, so
 * Vigil cannot be used to mail or text strangers. The code is stored only as an HMAC under a
 * per-code salt; five wrong guesses void it. Codes are budgeted per contact, per account and, for
 * texts, per number across every account and from the plan's monthly SMS allowance.
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { auditStatement, type Actor } from '../../audit/record.js';
import { hitWindow, spendInTurn, type Budget } from '../../db/rate-limit.js';
import { alertContacts } from '../../db/schema.js';
import { badInput, conflict, limitReached, rateLimited } from '../../domain/errors.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../domain/time.js';
import type { Services } from '../../services.js';
import { contactKind } from '../kinds/index.js';
import { spendSms } from '../sms-allowance.js';
import { getContact, type ContactRow } from './read.js';

export const CODE_MAX_FAILURES = 5;
export const CODE_TTL_MS = DAY_MS;
export const RESEND_LIMIT = 3;
export const RESEND_WINDOW_MS = 15 * MINUTE_MS;
/** Codes one account may have mailed per hour, whatever the contacts: create-and-delete loops cannot spam an address. */
export const ACCOUNT_CODES_PER_HOUR = 10;

const hashCode = (salt: string, code: string) => createHmac('sha256', salt).update(code).digest('hex');

/** A fresh code and the columns that store it (the code itself is never stored). */
export function newCode(now: number) {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const codeSalt = randomBytes(16).toString('base64url');
  return {
    code,
    columns: { codeHash: hashCode(codeSalt, code), codeSalt, codeFailures: 0, codeExpiresAt: now + CODE_TTL_MS },
  };
}

/**
 * Texted codes, on top of the account's hourly codes: a number receives at most 5 a day whatever
 * the accounts asking (no one can make us text a stranger's phone over and over), and an account
 * sends at most 10 a day (no loop of create and delete runs up the SNS bill).
 */
export const SMS_CODES = {
  perNumber: { limit: 5, windowMs: DAY_MS },
  perAccount: { limit: 10, windowMs: DAY_MS },
} as const;

/**
 * Counts one verification code against its budgets, narrowest first, or refuses it (429 with
 * retryAfterSeconds); a text is then spent from the plan's monthly SMS allowance (403 when none is left).
 */
export async function spendCodeAllowance(svc: Services, accountId: string, to: Pick<ContactRow, 'kind' | 'target'>): Promise<void> {
  const texted = to.kind === 'sms';
  const budgets: Budget[] = [
    ...(texted
      ? [
          { key: `sms-code-to:${to.target}`, ...SMS_CODES.perNumber },
          { key: `sms-codes:${accountId}`, ...SMS_CODES.perAccount },
        ]
      : []),
    { key: `contact-codes:${accountId}`, limit: ACCOUNT_CODES_PER_HOUR, windowMs: HOUR_MS },
  ];
  const wait = await spendInTurn(svc.db, budgets, svc.now());
  if (wait !== null) throw rateLimited(`too many verification ${texted ? 'texts' : 'emails'}; try again later`, wait);
  if (!texted) return;
  const spend = await spendSms(svc, accountId);
  if (!spend.allowed) throw limitReached(`Cannot text a code: ${spend.reason}.`, { plan: spend.plan, limit: spend.limit, current: spend.limit });
}

/** Sends the code the way the contact receives alerts: an email with a link, or a text. */
export async function sendCode(svc: Services, contact: Pick<ContactRow, 'id' | 'kind' | 'target'>, code: string): Promise<void> {
  if (contact.kind === 'sms') {
    await svc.sms.send({ to: contact.target, text: `Vigil code: ${code}. Someone asked Vigil to text uptime alerts to this number; if it was not you, ignore this.` });
    return;
  }
  const link = `${svc.config.appUrl}/contacts/verify#contact=${encodeURIComponent(contact.id)}&code=${code}`;
  await svc.mailer.send({
    to: contact.target,
    subject: '[Vigil] Confirm this address for alerts',
    text: `Someone asked Vigil to send uptime alerts to this address.\n\nYour code: ${code}\n\nOr open ${link}\n\nIf this was not you, ignore this email: nothing will be sent to you.`,
    html: `<p>Someone asked Vigil to send uptime alerts to this address.</p><p>Your code: <strong>${code}</strong></p><p><a href="${link}">Confirm this address</a></p><p>If this was not you, ignore this email: nothing will be sent to you.</p>`,
  });
}

export async function verifyContact(svc: Services, accountId: string, id: string, code: string, actor: Actor): Promise<ContactRow> {
  const c = await getContact(svc, accountId, id);
  if (c.status === 'active') return c;
  const now = svc.now();
  if (!c.codeHash || !c.codeSalt || (c.codeExpiresAt ?? 0) <= now) {
    throw conflict('this code is no longer valid; ask for a new one (contacts.resendVerification)');
  }
  const given = Buffer.from(hashCode(c.codeSalt, code));
  const expected = Buffer.from(c.codeHash);
  if (given.length === expected.length && timingSafeEqual(given, expected)) {
    // Conditional on the same code: a resend racing this verification wins (and then no audit row).
    await svc.db.batch([
      svc.db
        .update(alertContacts)
        .set({ status: 'active', codeHash: null, codeSalt: null, codeExpiresAt: null, codeFailures: 0 })
        .where(and(eq(alertContacts.id, c.id), eq(alertContacts.codeHash, c.codeHash))),
      auditStatement(svc, actor, { action: 'contacts.verify', entity: 'contacts', entityId: c.id, changes: { status: 'active' } }, sql`changes() = 1`),
    ]);
    return getContact(svc, accountId, id);
  }
  // One atomic step counts the failure and voids the code at the fifth, so parallel guesses cannot slip past.
  await svc.db
    .update(alertContacts)
    .set({
      codeFailures: sql`${alertContacts.codeFailures} + 1`,
      codeHash: sql`CASE WHEN ${alertContacts.codeFailures} + 1 >= ${CODE_MAX_FAILURES} THEN NULL ELSE ${alertContacts.codeHash} END`,
    })
    .where(and(eq(alertContacts.id, c.id), eq(alertContacts.codeHash, c.codeHash)));
  throw badInput('code', 'wrong code');
}

export async function resendVerification(svc: Services, accountId: string, id: string, actor: Actor): Promise<void> {
  const c = await getContact(svc, accountId, id);
  if (!contactKind(c.kind).verifiedByCode) throw badInput('id', 'only email and SMS contacts are verified');
  if (c.status === 'active') throw conflict('this contact is already verified');
  const hit = await hitWindow(svc.db, `contact-code:${c.id}`, RESEND_LIMIT, RESEND_WINDOW_MS, svc.now());
  if (!hit.allowed) throw rateLimited('a code was sent recently; try again later', hit.retryAfterSeconds);
  await spendCodeAllowance(svc, accountId, c);
  const { code, columns } = newCode(svc.now());
  await svc.db.batch([
    svc.db.update(alertContacts).set(columns).where(eq(alertContacts.id, c.id)),
    auditStatement(svc, actor, { action: 'contacts.resendVerification', entity: 'contacts', entityId: c.id }),
  ]);
  await sendCode(svc, c, code);
}
