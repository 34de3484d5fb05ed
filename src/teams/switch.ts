import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { auditStatement } from '../audit/record.js';
import type { SessionUser } from '../auth/service.js';
import { sessionInsert, sessionToken, type RequestOrigin } from '../auth/sessions.js';
import { accounts, memberships, sessions, users } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import type { ApiServices, Services } from '../services.js';
import type { MembershipOutput } from './schemas.js';

/**
 * Every account the user belongs to, with the role in each (auth.me), named by the email of the
 * person who registered it (accounts have no name of their own; every member may list the
 * account's members' emails anyway).
 */
export function accountsOf(svc: Services, userId: string): Promise<MembershipOutput[]> {
  const name = sql<string>`coalesce((SELECT ${users.email} FROM ${users} WHERE ${users.accountId} = ${memberships.accountId} ORDER BY ${users.createdAt} LIMIT 1), ${memberships.accountId})`;
  return svc.db
    .select({ accountId: memberships.accountId, name, plan: accounts.plan, role: memberships.role })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
}

/**
 * Re-issues the session for another account the user belongs to: this session ends and a new one,
 * acting in that account, starts, in one batch with its audit row. An account the user does not
 * belong to is "not found", whether or not it exists.
 */
export async function switchAccount(
  svc: ApiServices,
  user: SessionUser,
  origin: RequestOrigin,
  accountId: string,
): Promise<{ user: SessionUser; token: string }> {
  const [target] = await svc.db
    .select({ plan: accounts.plan, role: memberships.role, membershipVersion: memberships.version })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, user.id)))
    .limit(1);
  if (!target) throw notFound('account');
  const next = { ...user, ...target, accountId };
  const { id, insert } = sessionInsert(svc, next, origin);
  await svc.db.batch([
    svc.db.update(sessions).set({ revokedAt: new Date(svc.now()) }).where(and(eq(sessions.id, user.sessionId), isNull(sessions.revokedAt))),
    insert,
    auditStatement(svc, { accountId, actorId: user.id, ip: origin.ip }, { action: 'account.switch', entity: 'sessions', entityId: id, changes: { from: user.accountId } }),
  ]);
  return { user: { ...next, sessionId: id }, token: await sessionToken(svc, id, next) };
}
