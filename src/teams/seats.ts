import { and, count, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import type { Quota } from '../db/insert-within-limit.js';
import { invitations, memberships } from '../db/schema.js';
import { limitReached } from '../domain/errors.js';
import { limitsOf, type AccountRef } from '../domain/plans.js';
import type { Services } from '../services.js';

/** An invitation holds a seat until it is accepted (then the membership does), revoked or expired. */
export const pendingInvitationsOf = (accountId: string, now: number): SQL =>
  and(eq(invitations.accountId, accountId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date(now)))!;

/**
 * Seats are members plus pending invitations. The invitation insert is guarded by this quota in
 * one statement: pending invitations < seats − members, so parallel invitations cannot overshoot.
 */
export function seatQuota(svc: Services, account: AccountRef): Quota {
  const { seats } = limitsOf(account.plan);
  return {
    counted: pendingInvitationsOf(account.id, svc.now()),
    limit: sql`${seats} - (SELECT count(*) FROM ${memberships} WHERE ${memberships.accountId} = ${account.id})`,
    // Only the pending invitations are counted here; the caller names the seats really used (seatsFull).
    refuse: (pending) => seatsFull(account, pending),
  };
}

export function seatsFull(account: AccountRef, used: number) {
  const { seats, label } = limitsOf(account.plan);
  return limitReached(
    `${label} plan has ${seats} ${seats === 1 ? 'seat' : 'seats'}, all taken by members and pending invitations. Revoke an invitation, remove a member or upgrade your plan.`,
    { plan: account.plan, limit: seats, current: used },
  );
}

export async function seatsUsed(svc: Services, accountId: string): Promise<number> {
  const [[members], [pending]] = await Promise.all([
    svc.db.select({ n: count() }).from(memberships).where(eq(memberships.accountId, accountId)),
    svc.db.select({ n: count() }).from(invitations).where(pendingInvitationsOf(accountId, svc.now())),
  ]);
  return (members?.n ?? 0) + (pending?.n ?? 0);
}
