/**
 * Email contacts prove they want alerts: a 6-digit code (and a link carrying it) goes to the
 * address; until it comes back the contact receives nothing, so Vigil cannot be used to mail
 * strangers. The code is stored only as an HMAC under a per-code salt; five wrong guesses void it.
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { auditStatement, type Actor } from '../../audit/record.js';
import { hitWindow } from '../../db/rate-limit.js';
import { alertContacts } from '../../db/schema.js';
import { badInput, conflict, rateLimited } from '../../domain/errors.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../domain/time.js';
import type { Services } from '../../services.js';
import { contactKind } from '../kinds/index.js';
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

/** Counts one verification email against the account's hourly allowance, or refuses it (429). */
export async function spendCodeAllowance(svc: Services, accountId: string): Promise<void> {
  const hit = await hitWindow(svc.db, `contact-codes:${accountId}`, ACCOUNT_CODES_PER_HOUR, HOUR_MS, svc.now());
  if (!hit.allowed) throw rateLimited('too many verification emails from this account; try again later', hit.retryAfterSeconds);
}

export async function mailCode(svc: Services, contact: Pick<ContactRow, 'id' | 'target'>, code: string): Promise<void> {
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
  if (!contactKind(c.kind).verifiedByCode) throw badInput('id', 'only email contacts are verified');
  if (c.status === 'active') throw conflict('this contact is already verified');
  const hit = await hitWindow(svc.db, `contact-code:${c.id}`, RESEND_LIMIT, RESEND_WINDOW_MS, svc.now());
  if (!hit.allowed) throw rateLimited('a code was sent recently; try again later', hit.retryAfterSeconds);
  await spendCodeAllowance(svc, accountId);
  const { code, columns } = newCode(svc.now());
  await svc.db.batch([
    svc.db.update(alertContacts).set(columns).where(eq(alertContacts.id, c.id)),
    auditStatement(svc, actor, { action: 'contacts.resendVerification', entity: 'contacts', entityId: c.id }),
  ]);
  await mailCode(svc, c, code);
}
