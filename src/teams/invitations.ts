import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { hashLinkToken, newLinkToken } from '../accounts/link-tokens.js';
import { sendAccountEmail } from '../accounts/mail.js';
import { auditStatement, type Actor } from '../audit/record.js';
import { insertWithinLimitStatement } from '../db/insert-within-limit.js';
import { spendInTurn } from '../db/rate-limit.js';
import { invitations, memberships, users } from '../db/schema.js';
import { badInput, conflict, forbidden, notFound, rateLimited } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Role } from '../domain/permissions.js';
import type { AccountRef } from '../domain/plans.js';
import { DAY_MS, HOUR_MS } from '../domain/time.js';
import type { Services } from '../services.js';
import { invitationEmail } from './emails.js';
import { assertMayGrant } from './rules.js';
import type { InvitationOutput, InviteInput } from './schemas.js';
import { seatQuota, seatsFull, seatsUsed } from './seats.js';

export const INVITATION_TTL_MS = 7 * DAY_MS;

/**
 * Invitations mail an address the inviter chose: per address (from every account together) and
 * per account, so an invite/revoke loop cannot turn Vigil into a mailer aimed at a stranger.
 */
export const INVITES = {
  perAddress: { limit: 3, windowMs: DAY_MS },
  perAccount: { limit: 20, windowMs: HOUR_MS },
} as const;

const INVALID_INVITATION = 'this invitation is invalid, expired, revoked or already used; ask for a new one';

/**
 * Invites by email, within INVITES (else 429): a pending invitation takes a seat at once (the insert is seat-guarded, so a
 * burst of invitations never overshoots), is written with its audit row in one batch, and its
 * single-use token goes only into the email (the row keeps its SHA-256).
 */
export async function invite(svc: Services, account: AccountRef, by: Actor & { role: Role }, input: InviteInput): Promise<InvitationOutput> {
  assertMayGrant(by.role, input.role);
  const [member] = await svc.db
    .select({ id: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.accountId, account.id), eq(users.email, input.email)))
    .limit(1);
  if (member) throw conflict('this email is already a member of the account');

  const now = svc.now();
  const wait = await spendInTurn(
    svc.db,
    [
      { key: `invite-to:${input.email}`, ...INVITES.perAddress },
      { key: `invites:${account.id}`, ...INVITES.perAccount },
    ],
    now,
  );
  if (wait !== null) throw rateLimited('too many invitations; try again later', wait);
  const link = newLinkToken();
  const row = {
    id: newId('inv'),
    accountId: account.id,
    email: input.email,
    role: input.role,
    tokenHash: link.hash,
    invitedBy: by.actorId,
    createdAt: new Date(now),
    expiresAt: new Date(now + INVITATION_TTL_MS),
  };
  const quota = seatQuota(svc, account);
  const [inserted] = await svc.db.batch([
    svc.db.run(insertWithinLimitStatement(invitations, row, quota)),
    auditStatement(svc, by, { action: 'members.invite', entity: 'members', entityId: row.id, changes: { email: row.email, role: row.role } }, sql`changes() = 1`),
  ]);
  if (inserted.rowsAffected !== 1) throw seatsFull(account, await seatsUsed(svc, account.id));
  await sendAccountEmail(svc, input.email, invitationEmail(svc.config.appUrl, link.token, input.role), 'invitation');
  return { id: row.id, email: row.email, role: row.role, invitedBy: row.invitedBy, expiresAt: row.expiresAt.toISOString() };
}

/** Frees the seat at once; the link is refused from then on. */
export async function revokeInvite(svc: Services, account: AccountRef, by: Actor, id: string): Promise<void> {
  const now = svc.now();
  const [res] = await svc.db.batch([
    svc.db
      .update(invitations)
      .set({ revokedAt: new Date(now) })
      .where(and(eq(invitations.id, id), eq(invitations.accountId, account.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt))),
    auditStatement(svc, by, { action: 'members.revokeInvite', entity: 'members', entityId: id }, sql`changes() = 1`),
  ]);
  if (res.rowsAffected !== 1) throw notFound('invitation');
}

/**
 * Accepts once: the signed-in user must have confirmed the very email the invitation was sent to.
 * Marking the invitation used and adding the membership (with the invitation's role) happen in one
 * batch, the membership only if this call is the one that marked it.
 */
export async function acceptInvite(
  svc: Services,
  user: { id: string; email: string; emailVerified: boolean },
  ip: string,
  token: string,
): Promise<{ accountId: string; role: Role }> {
  const now = svc.now();
  const [found] = await svc.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tokenHash, hashLinkToken(token)), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date(now))))
    .limit(1);
  if (!found) throw badInput('token', INVALID_INVITATION);
  if (!user.emailVerified) throw forbidden('confirm your email first, then open the invitation again');
  if (found.email !== user.email.trim().toLowerCase()) throw forbidden('this invitation was sent to another email address; sign in with that one');

  const actor: Actor = { accountId: found.accountId, actorId: user.id, ip };
  const [marked] = await svc.db.batch([
    svc.db
      .update(invitations)
      .set({ acceptedAt: new Date(now) })
      .where(and(eq(invitations.id, found.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt))),
    svc.db.run(sql`
      INSERT INTO ${memberships} (account_id, user_id, role, version, created_at)
      SELECT ${found.accountId}, ${user.id}, ${found.role}, 0, ${now}
      WHERE changes() = 1
      ON CONFLICT DO NOTHING`),
    auditStatement(svc, actor, { action: 'members.accept', entity: 'members', entityId: user.id, changes: { role: found.role } }, sql`changes() = 1`),
  ]);
  if (marked.rowsAffected !== 1) throw badInput('token', INVALID_INVITATION);
  return { accountId: found.accountId, role: found.role };
}
