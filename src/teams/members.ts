import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import { contactDeletion } from '../alerts/contacts/delete.js';
import { auditStatement, type Actor } from '../audit/record.js';
import { alertContacts, invitations, memberships, monitors, oauthClients, sessions, users } from '../db/schema.js';
import { conflict, notFound } from '../domain/errors.js';
import type { Role } from '../domain/permissions.js';
import { limitsOf, type AccountRef } from '../domain/plans.js';
import { pingTokenRetirement } from '../monitors/rotate-ping-token.js';
import { clientRevocation } from '../oauth/clients.js';
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

/** What a removal ended besides the membership: their pending invitations, and (revokeCreated) what they made. */
export type Revoked = { invitations: string[]; clients: string[]; contacts: string[]; pingTokens: string[] };

/** What a member made that outlives their membership: API clients, contacts, and ping URLs they were shown. */
async function madeBy(svc: Services, accountId: string, userId: string): Promise<Omit<Revoked, 'invitations'>> {
  const [clients, contacts, pings] = await Promise.all([
    svc.db
      .select({ id: oauthClients.id })
      .from(oauthClients)
      .where(and(eq(oauthClients.accountId, accountId), eq(oauthClients.createdBy, userId), isNull(oauthClients.revokedAt))),
    svc.db.select({ id: alertContacts.id }).from(alertContacts).where(and(eq(alertContacts.accountId, accountId), eq(alertContacts.createdBy, userId))),
    svc.db.select({ id: monitors.id }).from(monitors).where(and(eq(monitors.accountId, accountId), eq(monitors.pingTokenCreatedBy, userId))),
  ]);
  return { clients: clients.map((r) => r.id), contacts: contacts.map((r) => r.id), pingTokens: pings.map((r) => r.id) };
}

/** Pending invitations of the account sent by the user or addressed to their email: either would let them back in. */
async function invitationsOf(svc: Services, accountId: string, userId: string): Promise<string[]> {
  const rows = await svc.db
    .select({ id: invitations.id })
    .from(invitations)
    .where(
      and(
        pendingInvitationsOf(accountId, svc.now()),
        or(eq(invitations.invitedBy, userId), eq(invitations.email, sql`(SELECT ${users.email} FROM ${users} WHERE ${users.id} = ${userId})`)),
      ),
    );
  return rows.map((r) => r.id);
}

/**
 * Removes a member, and every way back in, in one batch with an audit row per change: the
 * membership; their sessions in this account, revoked for good (a later re-invitation makes a new
 * membership, never revives an old session); the pending invitations they sent or that are
 * addressed to them. With `revokeCreated`, also the API clients and contacts they created and the
 * ping URLs they were shown (reads name each one's maker: createdBy, pingTokenCreatedBy). All of
 * it only if the membership was deleted (an account always keeps an owner).
 */
export async function removeMember(
  svc: Services,
  account: AccountRef,
  by: Actor & { role: Role },
  userId: string,
  { revokeCreated = false, action = 'members.remove' }: { revokeCreated?: boolean; action?: string } = {},
): Promise<Revoked> {
  assertMayGrant(by.role, await roleOf(svc, account.id, userId));
  const made = revokeCreated ? await madeBy(svc, account.id, userId) : { clients: [], contacts: [], pingTokens: [] };
  const revoked: Revoked = { invitations: await invitationsOf(svc, account.id, userId), ...made };
  const gone = sql`NOT EXISTS (SELECT 1 FROM ${memberships} WHERE ${memberships.accountId} = ${account.id} AND ${memberships.userId} = ${userId})`;
  const audit = (entry: { action: string; entity: string; entityId: string }) => auditStatement(svc, by, entry, sql`changes() = 1`);
  const now = new Date(svc.now());
  const [res] = await svc.db.batch([
    svc.db.delete(memberships).where(ownerRemainsAfterChanging(account.id, userId)),
    auditStatement(svc, by, { action, entity: 'members', entityId: userId, ...(revokeCreated ? { changes: { revokeCreated } } : {}) }, sql`changes() = 1`),
    svc.db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, userId), eq(sessions.accountId, account.id), isNull(sessions.revokedAt), gone)),
    ...revoked.invitations.flatMap((id) => [
      svc.db
        .update(invitations)
        .set({ revokedAt: now })
        .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gone)),
      audit({ action: 'members.revokeInvite', entity: 'members', entityId: id }),
    ]),
    ...revoked.clients.flatMap((id) => [clientRevocation(svc, account.id, id, gone), audit({ action: 'oauthClients.revoke', entity: 'oauthClients', entityId: id })]),
    ...revoked.contacts.flatMap((id) => [...contactDeletion(svc, account.id, id, gone), audit({ action: 'contacts.delete', entity: 'contacts', entityId: id })]),
    ...revoked.pingTokens.flatMap((id) => [
      pingTokenRetirement(svc, account.id, id, userId, gone),
      audit({ action: 'monitors.rotatePingToken', entity: 'monitors', entityId: id }),
    ]),
  ]);
  if (res.rowsAffected !== 1) throw conflict(LAST_OWNER);
  return revoked;
}

/** Leaving is removing oneself; the last owner cannot leave. */
export async function leave(svc: Services, account: AccountRef, me: Actor & { role: Role }): Promise<void> {
  await removeMember(svc, account, me, me.actorId, { action: 'members.leave' });
}
