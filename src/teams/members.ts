import { and, asc, eq, sql } from 'drizzle-orm';
import { auditStatement, type Actor } from '../audit/record.js';
import { invitations, memberships, users } from '../db/schema.js';
import { conflict, notFound } from '../domain/errors.js';
import type { Role } from '../domain/permissions.js';
import { limitsOf, type AccountRef } from '../domain/plans.js';
import type { Services } from '../services.js';
import { assertMayGrant } from './rules.js';
import type { MembersOutput } from './schemas.js';
import { pendingInvitationsOf } from './seats.js';

export async function listMembers(svc: Services, account: AccountRef): Promise<MembersOutput> {
  const [members, pending] = await Promise.all([
    svc.db
      .select({ userId: memberships.userId, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.accountId, account.id))
      .orderBy(asc(memberships.createdAt), asc(memberships.userId)),
    svc.db.select().from(invitations).where(pendingInvitationsOf(account.id, svc.now())).orderBy(asc(invitations.createdAt)),
  ]);
  return {
    members: members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() })),
    invitations: pending.map((i) => ({ id: i.id, email: i.email, role: i.role, invitedBy: i.invitedBy, expiresAt: i.expiresAt.toISOString() })),
    seats: { used: members.length + pending.length, limit: limitsOf(account.plan).seats },
  };
}

/**
 * Guards every change to a membership: the row must be this account's, and an owner may be
 * demoted or removed only while another owner remains, checked inside the statement itself so
 * two owners demoting each other at once cannot leave the account without one.
 */
const ownerRemainsAfterChanging = (accountId: string, userId: string) =>
  and(
    eq(memberships.accountId, accountId),
    eq(memberships.userId, userId),
    sql`(${memberships.role} <> 'owner' OR (SELECT count(*) FROM ${memberships} o WHERE o.account_id = ${accountId} AND o.role = 'owner') > 1)`,
  );

async function roleOf(svc: Services, accountId: string, userId: string): Promise<Role> {
  const [row] = await svc.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)))
    .limit(1);
  if (!row) throw notFound('member');
  return row.role;
}

const LAST_OWNER = 'an account always keeps at least one owner: make someone else an owner first';

/** Bumps the membership's version: the member's next request already sees the new role. */
export async function updateRole(svc: Services, account: AccountRef, by: Actor & { role: Role }, userId: string, role: Role): Promise<{ userId: string; role: Role }> {
  assertMayGrant(by.role, await roleOf(svc, account.id, userId), role);
  const guard = role === 'owner' ? and(eq(memberships.accountId, account.id), eq(memberships.userId, userId)) : ownerRemainsAfterChanging(account.id, userId);
  const [res] = await svc.db.batch([
    svc.db.update(memberships).set({ role, version: sql`${memberships.version} + 1` }).where(guard),
    auditStatement(svc, by, { action: 'members.updateRole', entity: 'members', entityId: userId, changes: { role } }, sql`changes() = 1`),
  ]);
  if (res.rowsAffected !== 1) throw conflict(LAST_OWNER);
  return { userId, role };
}

/** The member's sessions in this account are refused from their next request (the session check joins the membership). */
export async function removeMember(svc: Services, account: AccountRef, by: Actor & { role: Role }, userId: string, action = 'members.remove'): Promise<void> {
  assertMayGrant(by.role, await roleOf(svc, account.id, userId));
  const [res] = await svc.db.batch([
    svc.db.delete(memberships).where(ownerRemainsAfterChanging(account.id, userId)),
    auditStatement(svc, by, { action, entity: 'members', entityId: userId }, sql`changes() = 1`),
  ]);
  if (res.rowsAffected !== 1) throw conflict(LAST_OWNER);
}

/** Leaving is removing oneself; the last owner cannot leave. */
export function leave(svc: Services, account: AccountRef, me: Actor & { role: Role }): Promise<void> {
  return removeMember(svc, account, me, me.actorId, 'members.leave');
}
