import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { mapPlan, plan, runPlan, type Plan } from '../db/plan.js';
import { unauthenticated } from '../domain/errors.js';
import { accounts, memberships, sessions, users } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { auditStatement, type Actor } from '../audit/record.js';
import type { ApiServices, Services } from '../services.js';
import { PendingCaller, SIGN_IN_REQUIRED } from './caller.js';
import type { SessionUser } from './service.js';
import { asUser, USER_COLUMNS } from './user-columns.js';
import { SESSION_TTL_SECONDS, signSession, verifySession, type SessionClaims } from './tokens.js';

/** Where a request came from: recorded with each session. */
export type RequestOrigin = { ip: string; userAgent: string | null };

export function requestOrigin(ip: string, headers: Headers): RequestOrigin {
  return { ip, userAgent: headers.get('user-agent')?.slice(0, 256) ?? null };
}

/**
 * The row of a new session in `user.accountId`, to batch with the change that causes it (sign-in,
 * account.switch). Written only while the membership exists, in the same statement: a sign-in
 * racing the member's removal leaves no session that a later re-invitation would bring back.
 */
export function sessionInsert(svc: ApiServices, user: Pick<SessionUser, 'id' | 'accountId'>, origin: RequestOrigin) {
  const id = newId('ses');
  const now = svc.now();
  const insert = svc.db.run(sql`
    INSERT INTO ${sessions} (id, user_id, account_id, created_at, expires_at, ip, user_agent)
    SELECT ${id}, ${user.id}, ${user.accountId}, ${now}, ${now + SESSION_TTL_SECONDS * 1000}, ${origin.ip}, ${origin.userAgent}
    WHERE EXISTS (SELECT 1 FROM ${memberships} WHERE ${memberships.accountId} = ${user.accountId} AND ${memberships.userId} = ${user.id})`);
  return { id, insert };
}

export function sessionToken(svc: ApiServices, id: string, user: Pick<SessionUser, 'id' | 'accountId' | 'sessionVersion'>) {
  return signSession(
    svc.keys,
    { sessionId: id, userId: user.id, accountId: user.accountId, sessionVersion: user.sessionVersion },
    svc.now(),
  );
}

/**
 * The user behind a session token, or null. The session row, its user, the user's membership of
 * the session's account and that account are read in one query: a revoked or expired session, a
 * bumped session version ("sign out everywhere"), a membership that was removed or a token whose
 * claims do not match the row are all refused, and the role is the membership's as it is now, so
 * removing a member or changing a role bites on their very next request. The one place a session
 * is checked.
 */
export async function authenticateSession(svc: ApiServices, token: string | null): Promise<SessionUser | null> {
  const claims = await sessionClaims(svc, token);
  return claims ? runPlan(svc.db, sessionConfirmation(svc, claims)) : null;
}

/**
 * The session a token claims, its signature verified and nothing read yet (src/auth/caller.ts):
 * each read confirms it in its own batch, a write before it writes; a refused session is a 401.
 */
export async function pendingSession(svc: ApiServices, token: string | null): Promise<PendingCaller<SessionUser> | null> {
  const claims = await sessionClaims(svc, token);
  if (!claims) return null;
  return new PendingCaller(svc.db, claims.accountId, () =>
    mapPlan(sessionConfirmation(svc, claims), (user) => {
      if (!user) throw unauthenticated(SIGN_IN_REQUIRED);
      return user;
    }),
  );
}

/** The claims of a session token whose signature holds; nothing is read (a forged cookie costs no query). */
export async function sessionClaims(svc: ApiServices, token: string | null): Promise<SessionClaims | null> {
  return token ? verifySession(svc.keys, token, svc.now()) : null;
}

/**
 * The query that confirms verified claims, as a plan to send alone or in one batch with the
 * request's read (src/auth/caller.ts): the user, or null when the session is refused.
 */
export function sessionConfirmation(svc: ApiServices, claims: SessionClaims): Plan<SessionUser | null> {
  const query = svc.db
    .select({
      sessionId: sessions.id,
      ...USER_COLUMNS,
      accountId: memberships.accountId,
      plan: accounts.plan,
      role: memberships.role,
      membershipVersion: memberships.version,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(memberships, and(eq(memberships.accountId, sessions.accountId), eq(memberships.userId, sessions.userId)))
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(sessions.id, claims.sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date(svc.now()))))
    .limit(1);
  return plan([query], ([[row]]) => {
    if (!row) return null;
    if (row.id !== claims.userId || row.accountId !== claims.accountId || row.sessionVersion !== claims.sessionVersion) return null;
    return asUser(row);
  });
}

/** Ends one session on the server: its token is refused from the next request on. */
export async function revokeSession(svc: Services, sessionId: string, actor: Actor): Promise<void> {
  await svc.db.batch([
    svc.db.update(sessions).set({ revokedAt: new Date(svc.now()) }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt))),
    auditStatement(svc, actor, { action: 'auth.logout', entity: 'sessions', entityId: sessionId }, sql`changes() = 1`),
  ]);
}

/** Ends every session of the user but `keep` (after a password change on this device), for that change's batch. */
export function revokeOtherSessionsStatement(svc: Services, userId: string, keep: string) {
  return svc.db
    .update(sessions)
    .set({ revokedAt: new Date(svc.now()) })
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keep), isNull(sessions.revokedAt)));
}

/** Signs the user out everywhere: every session row is revoked and every token's version is stale. */
export async function revokeAllSessions(svc: Services, userId: string, actor?: Actor): Promise<number> {
  const [res] = await svc.db.batch([
    svc.db.update(sessions).set({ revokedAt: new Date(svc.now()) }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt))),
    svc.db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId)),
    ...(actor ? [auditStatement(svc, actor, { action: 'auth.logoutEverywhere', entity: 'sessions', entityId: userId })] : []),
  ]);
  return res.rowsAffected;
}

/** For the daily prune: an expired session's token is refused anyway, so its row is only history. */
export async function deleteExpiredSessions(svc: Services): Promise<number> {
  const res = await svc.db.run(sql`DELETE FROM sessions WHERE expires_at <= ${svc.now()}`);
  return res.rowsAffected;
}
