import { eq, sql } from 'drizzle-orm';
import { activateOwnerContact, ownerContactInsert } from '../alerts/contacts/owner.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { assertPasswordAllowed } from '../auth/password-policy.js';
import type { CheckYourEmail, Credentials } from '../auth/schemas.js';
import { findUser, isUniqueViolation, type StoredUser } from '../auth/service.js';
import { accounts, memberships, users } from '../db/schema.js';
import { badInput, forbidden, rateLimited } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { HOUR_MS } from '../domain/time.js';
import { coarseRetryAfter, hitWindow } from '../db/rate-limit.js';
import type { Services } from '../services.js';
import { alreadyRegisteredEmail, verificationEmail } from './emails.js';
import { consumeLinkToken, deleteLinksOf, findLinkToken, linkTokenInsert, newLinkToken } from './link-tokens.js';
import { commitWithMail, queueMail, wakeMailSender } from '../mail/outbox.js';
import { mailCapKey } from './mail.js';
import { transferToMailboxOwner } from './transfer.js';

export const REGISTRATION_LIMITS = {
  /** Registrations from one address (finding 3: one request used to create 300 accounts). */
  perIp: { limit: 30, windowMs: HOUR_MS },
  /** "Someone tried to register your email" notices to one verified owner. */
  noticePerEmail: { limit: 1, windowMs: 24 * HOUR_MS },
  /** Verification links to one unverified address (re-registrations); more get the same answer and no email. */
  linksPerEmail: { limit: 5, windowMs: HOUR_MS },
};

export const CHECK_YOUR_EMAIL: CheckYourEmail = {
  status: 'check-your-email',
  message: 'If this email can be used, we have sent a link to it. Open it to confirm your email, then sign in.',
};

/**
 * Registration answers the same whether or not the email has an account (no enumeration), in the
 * same time (every path hashes the password, counts one mail against the address and commits one
 * batch with an outbox row; the mail itself is sent after the answer), and never signs in. A new
 * email gets an account and a verification link; an email with an unverified account gets a link
 * carrying the new password, so whoever verifies owns the account; a verified owner is told someone
 * tried (at most once a day); past a cap, the outbox row is a decoy that sends nothing.
 */
export async function register(svc: Services, { email, password }: Credentials, ip: string): Promise<CheckYourEmail> {
  const hit = await hitWindow(svc.db, `register-ip:${ip}`, REGISTRATION_LIMITS.perIp.limit, REGISTRATION_LIMITS.perIp.windowMs, svc.now());
  if (!hit.allowed) throw rateLimited('too many registrations from this address; try again later', coarseRetryAfter(hit.retryAfterSeconds));
  await assertPasswordAllowed(password);
  const passwordHash = await hashPassword(password);

  const found = await findUser(svc, eq(users.email, email));
  const [purpose, cap] = found?.emailVerified ? ['register-notice', REGISTRATION_LIMITS.noticePerEmail] : ['register-link', REGISTRATION_LIMITS.linksPerEmail];
  const mayMail = (await hitWindow(svc.db, mailCapKey(purpose, email), cap.limit, cap.windowMs, svc.now())).allowed;
  const existing = found ?? (await createAccount(svc, email, passwordHash));
  if (existing === 'created') return CHECK_YOUR_EMAIL;
  // As many writes as a new account's batch (decoy outbox rows fill in), so that neither answer is the quicker.
  if (!mayMail) await commitWithMail(svc, [], null, NEW_ACCOUNT_WRITES);
  else if (!existing.emailVerified) await sendVerificationLink(svc, existing, passwordHash, NEW_ACCOUNT_WRITES);
  else await commitWithMail(svc, [], { to: email, kind: 'already-registered', email: alreadyRegisteredEmail(svc.config.appUrl) }, NEW_ACCOUNT_WRITES);
  return CHECK_YOUR_EMAIL;
}

/**
 * A Free account, its first user, the verification link and the owner's alert contact (active at
 * once unless REQUIRE_VERIFIED_EMAIL, see alerts/contacts/owner.ts) and the link's email, in one
 * batch; or the user who won a race.
 */
/** The statements of createAccount's batch. */
const NEW_ACCOUNT_WRITES = 6;

async function createAccount(svc: Services, email: string, passwordHash: string): Promise<'created' | StoredUser> {
  const accountId = newId('acc');
  const userId = newId('usr');
  const now = new Date(svc.now());
  const link = newLinkToken();
  const mail = queueMail(svc, { to: email, kind: 'verify-email', email: verificationEmail(svc.config.appUrl, link.token) });
  try {
    await svc.db.batch([
      svc.db.insert(accounts).values({ id: accountId, plan: 'free', createdAt: now }),
      svc.db.insert(users).values({ id: userId, accountId, email, passwordHash, createdAt: now }),
      svc.db.insert(memberships).values({ accountId, userId, role: 'owner', createdAt: now }),
      linkTokenInsert(svc, userId, 'verify-email', link.hash),
      ownerContactInsert(svc.db, svc.config, accountId, email, now),
      mail.insert,
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await findUser(svc, eq(users.email, email));
    if (!winner) throw error;
    return winner;
  }
  await wakeMailSender(svc, [mail.id]);
  return 'created';
}

function sendVerificationLink(svc: Services, user: Pick<StoredUser, 'id' | 'email'>, passwordHash: string | null, writes = 0): Promise<void> {
  const link = newLinkToken();
  const email = verificationEmail(svc.config.appUrl, link.token);
  return commitWithMail(svc, [linkTokenInsert(svc, user.id, 'verify-email', link.hash, passwordHash)], { to: user.email, kind: 'verify-email', email }, writes);
}

/** A signed-in, unverified user asks for a fresh link (the first expired or got lost). */
export async function resendVerification(svc: Services, user: { id: string; email: string; emailVerified: boolean }): Promise<CheckYourEmail> {
  if (user.emailVerified) return CHECK_YOUR_EMAIL;
  const hit = await hitWindow(svc.db, `verify-resend:${user.id}`, 3, HOUR_MS, svc.now());
  if (!hit.allowed) throw rateLimited('a link was sent a moment ago; check your inbox or try again later', coarseRetryAfter(hit.retryAfterSeconds));
  await sendVerificationLink(svc, user, null);
  return CHECK_YOUR_EMAIL;
}

const INVALID_LINK = 'this link is invalid, expired or already used; sign in and ask for a new one';

/**
 * Opens a verification link, once, with the password the confirmer chose when registering: a
 * confirmation never verifies a password its confirmer did not set (the first link of an account a
 * stranger registered with someone else's email lands in that person's mailbox, and must not hand
 * the stranger a verified account). A link from a re-registration carries that person's password:
 * unless they are the holder already (they know the current password too), the account passes to
 * them empty (transfer.ts), so nothing the unverified holder made survives. Otherwise the email is
 * verified and the account's owner contact becomes active, in one batch.
 */
export async function verifyEmail(svc: Services, token: string, password: string): Promise<{ email: string }> {
  const found = await findLinkToken(svc, token, 'verify-email');
  const holder = found ? await findUser(svc, eq(users.id, found.userId)) : null;
  if (!found || !holder) throw badInput('token', INVALID_LINK);
  if (!(await verifyPassword(found.passwordHash ?? holder.passwordHash, password))) {
    throw badInput('password', 'type the password you chose when you registered with this email (or register again to choose one)');
  }
  const link = await consumeLinkToken(svc, token, 'verify-email');
  if (!link) throw badInput('token', INVALID_LINK);
  const takesOver = link.passwordHash !== null && !holder.emailVerified && !(await verifyPassword(holder.passwordHash, password));
  if (takesOver) {
    if ((await transferToMailboxOwner(svc, link.userId, link.passwordHash!)) === null) throw badInput('token', INVALID_LINK);
    return { email: holder.email };
  }
  await svc.db.batch([
    svc.db
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${svc.now()})` })
      .where(eq(users.id, link.userId)),
    activateOwnerContact(svc.db, link.userId),
    // Other pending links (other people's re-registrations) die with this one.
    deleteLinksOf(svc, link.userId, 'verify-email'),
  ]);
  return { email: holder.email };
}

/** The rule REQUIRE_VERIFIED_EMAIL switches on: an unverified account looks around but writes nothing. */
export function assertMayWrite(svc: Services, user: { emailVerified: boolean }): void {
  if (svc.config.requireVerifiedEmail && !user.emailVerified) {
    throw forbidden('confirm your email first: open the link we sent you (or ask for a new one) to make changes');
  }
}
