import { eq, sql } from 'drizzle-orm';
import { activateOwnerContact } from '../alerts/contacts/owner.js';
import { beginLoginAttempt } from '../auth/login-throttle.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { assertPasswordAllowed } from '../auth/password-policy.js';
import type { CheckYourEmail } from '../auth/schemas.js';
import { findUser, type SessionUser } from '../auth/service.js';
import { revokeAllSessions, revokeOtherSessionsStatement } from '../auth/sessions.js';
import { auditStatement } from '../audit/record.js';
import { users } from '../db/schema.js';
import { badInput, rateLimited } from '../domain/errors.js';
import { HOUR_MS } from '../domain/time.js';
import { coarseRetryAfter, hitWindow } from '../db/rate-limit.js';
import type { Services } from '../services.js';
import { passwordChangedEmail, passwordResetEmail } from './emails.js';
import { consumeLinkToken, deleteLinksOf, findLinkToken, linkTokenInsert, newLinkToken } from './link-tokens.js';
import { commitWithMail, queueMail, wakeMailSender } from '../mail/outbox.js';
import { mailCapKey } from './mail.js';
import { transferToMailboxOwner } from './transfer.js';

export const RESET_LIMITS = {
  /** Reset requests from one address, whatever the emails. */
  perIp: { limit: 20, windowMs: HOUR_MS },
  /** Reset emails to one address: more requests get the same answer and no email (no mail bombing). */
  emailsPerAddress: { limit: 3, windowMs: HOUR_MS },
  /** Uses of reset links (new passwords set, or bogus tokens tried) from one address. */
  perIpUses: { limit: 20, windowMs: HOUR_MS },
};

const INVALID_RESET_LINK = 'this reset link is invalid, expired or already used; ask for a new one';

const RESET_ANSWER: CheckYourEmail = {
  status: 'check-your-email',
  message: 'If an account uses this email, we have sent it a link to choose a new password. It works once, for 30 minutes.',
};

/**
 * The same answer for every email, known or not, in the same time: both count one mail against the
 * address and commit one batch with an outbox row (a decoy for an unknown email or past the cap);
 * only a known one gets a 30-minute, single-use link, sent after the answer.
 */
export async function requestPasswordReset(svc: Services, email: string, ip: string): Promise<CheckYourEmail> {
  const perIp = await hitWindow(svc.db, `reset-ip:${ip}`, RESET_LIMITS.perIp.limit, RESET_LIMITS.perIp.windowMs, svc.now());
  if (!perIp.allowed) throw rateLimited('too many reset requests from this address; try again later', coarseRetryAfter(perIp.retryAfterSeconds));
  const user = await findUser(svc, eq(users.email, email));
  const cap = RESET_LIMITS.emailsPerAddress;
  const mayMail = (await hitWindow(svc.db, mailCapKey('reset-mail', email), cap.limit, cap.windowMs, svc.now())).allowed;
  const link = user && mayMail ? newLinkToken() : null;
  if (!user || !link) await commitWithMail(svc, [], null);
  else {
    await commitWithMail(svc, [linkTokenInsert(svc, user.id, 'reset-password', link.hash)], {
      to: user.email,
      kind: 'reset-password',
      email: passwordResetEmail(svc.config.appUrl, link.token),
    });
  }
  return RESET_ANSWER;
}

/**
 * Sets a new password from a reset link, once, and ends every session. The link is looked up
 * before any Argon2 work, and attempts are throttled per address, so bogus tokens cost a lookup.
 * Opening the link also proves the mailbox: a verified account's email stays verified; an
 * unverified one passes to the mailbox owner empty (transfer.ts), as a re-registration's
 * confirmation does, so nothing its unverified holder made survives.
 */
export async function resetPassword(svc: Services, token: string, password: string, ip: string): Promise<{ signedOutSessions: number }> {
  const { perIpUses } = RESET_LIMITS;
  const hit = await hitWindow(svc.db, `reset-use-ip:${ip}`, perIpUses.limit, perIpUses.windowMs, svc.now());
  if (!hit.allowed) throw rateLimited('too many password resets from this address; try again later', coarseRetryAfter(hit.retryAfterSeconds));
  const found = await findLinkToken(svc, token, 'reset-password');
  if (!found) throw badInput('token', INVALID_RESET_LINK);
  await assertPasswordAllowed(password);
  const passwordHash = await hashPassword(password);
  const link = await consumeLinkToken(svc, token, 'reset-password');
  const user = link ? await findUser(svc, eq(users.id, link.userId)) : null;
  if (!link || !user) throw badInput('token', INVALID_RESET_LINK);
  const actor = { accountId: user.accountId, actorId: user.id, ip };
  if (!user.emailVerified) {
    const ended = await transferToMailboxOwner(svc, user.id, passwordHash);
    if (ended !== null) return { signedOutSessions: ended };
  }
  await svc.db.batch([
    svc.db
      .update(users)
      .set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${svc.now()})` })
      .where(eq(users.id, link.userId)),
    deleteLinksOf(svc, link.userId, 'reset-password'),
    activateOwnerContact(svc.db, link.userId),
    auditStatement(svc, actor, { action: 'auth.resetPassword', entity: 'users', entityId: user.id }),
  ]);
  return { signedOutSessions: await revokeAllSessions(svc, link.userId) };
}

/**
 * Changes the password of a signed-in user who knows the current one (throttled as a sign-in is),
 * ends every other session and voids every outstanding reset link, in one batch with its audit
 * row: whoever else held a session or a link is out.
 */
export async function changePassword(
  svc: Services,
  user: SessionUser,
  { current, next }: { current: string; next: string },
  ip: string,
): Promise<{ signedOutSessions: number }> {
  const attempt = await beginLoginAttempt(svc, user.email, ip);
  if (attempt.retryAfterSeconds !== null) throw rateLimited('too many wrong passwords; try again later', attempt.retryAfterSeconds);
  const stored = await findUser(svc, eq(users.id, user.id));
  if (!stored || !(await verifyPassword(stored.passwordHash, current))) {
    await attempt.failed();
    throw badInput('current', 'the current password is not right');
  }
  await attempt.succeeded();
  await assertPasswordAllowed(next, 'next');
  const mail = queueMail(svc, { to: user.email, kind: 'password-changed', email: passwordChangedEmail(svc.config.appUrl) });
  const [, revoked] = await svc.db.batch([
    svc.db.update(users).set({ passwordHash: await hashPassword(next) }).where(eq(users.id, user.id)),
    revokeOtherSessionsStatement(svc, user.id, user.sessionId),
    deleteLinksOf(svc, user.id, 'reset-password'),
    auditStatement(svc, { accountId: user.accountId, actorId: user.id, ip }, { action: 'auth.changePassword', entity: 'users', entityId: user.id }),
    mail.insert,
  ]);
  await wakeMailSender(svc, [mail.id]);
  return { signedOutSessions: revoked.rowsAffected };
}
