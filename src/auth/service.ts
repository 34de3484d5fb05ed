import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { accounts, memberships, users } from '../db/schema.js';
import { forbidden, rateLimited, unauthenticated } from '../domain/errors.js';
import type { Role } from '../domain/permissions.js';
import type { PlanName } from '../domain/plans.js';
import type { ApiServices, Services } from '../services.js';
import { beginLoginAttempt } from './login-throttle.js';
import { burnVerification, verifyPassword } from './password.js';
import type { Credentials, PublicUser } from './schemas.js';
import { asUser, USER_COLUMNS } from './user-columns.js';
import { sessionInsert, sessionToken, type RequestOrigin } from './sessions.js';
import { auditStatement } from '../audit/record.js';

export { authenticateSession, revokeAllSessions } from './sessions.js';

const INVALID_LOGIN = 'invalid email or password';

export type SessionUser = {
  id: string;
  email: string;
  /** The session's current account: every query is scoped to it. */
  accountId: string;
  plan: PlanName;
  /** The user's role in that account, as the membership says now. */
  role: Role;
  membershipVersion: number;
  sessionVersion: number;
  emailVerified: boolean;
  createdAt: Date;
  /** The session this request came with (the token's jti). */
  sessionId: string;
};

export type SignedIn = { user: SessionUser; token: string };

export function toPublicUser(u: Omit<SessionUser, 'sessionId' | 'membershipVersion'>): PublicUser {
  return { id: u.id, email: u.email, accountId: u.accountId, plan: u.plan, role: u.role, emailVerified: u.emailVerified, createdAt: u.createdAt.toISOString() };
}

/**
 * Throttled per address and per (email, address) before the password is checked (see
 * login-throttle.ts), so an attacker's guesses never lock the owner out from their own address.
 * An unverified account signs in too: it can look around but creates no monitors until verified.
 */
export async function login(svc: ApiServices, { email, password }: Credentials, origin: RequestOrigin): Promise<SignedIn> {
  const attempt = await beginLoginAttempt(svc, email, origin.ip);
  if (attempt.retryAfterSeconds !== null) {
    throw rateLimited('too many failed sign-in attempts from this address; try again later', attempt.retryAfterSeconds);
  }
  const found = await findUser(svc, eq(users.email, email));
  if (!found) {
    await burnVerification(password);
    await attempt.failed();
    throw unauthenticated(INVALID_LOGIN);
  }
  const { passwordHash, ...user } = found;
  if (!(await verifyPassword(passwordHash, password))) {
    await attempt.failed();
    throw unauthenticated(INVALID_LOGIN);
  }
  await attempt.succeeded();
  const membership = await signInAccount(svc, user);
  if (!membership) throw forbidden('this user belongs to no account any more');
  const member = { ...user, ...membership };
  const { id: sessionId, insert } = sessionInsert(svc, member, origin);
  await svc.db.batch([
    insert,
    auditStatement(svc, { accountId: member.accountId, actorId: user.id, ip: origin.ip }, { action: 'auth.login', entity: 'sessions', entityId: sessionId }),
  ]);
  return { user: { ...member, sessionId }, token: await sessionToken(svc, sessionId, member) };
}

/** The account a sign-in starts in: the user's own (registration's) if still a member, else the oldest membership. */
async function signInAccount(svc: Services, user: Pick<StoredUser, 'id' | 'accountId'>) {
  const [row] = await svc.db
    .select({ accountId: memberships.accountId, plan: accounts.plan, role: memberships.role, membershipVersion: memberships.version })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(eq(memberships.userId, user.id))
    .orderBy(sql`${memberships.accountId} = ${user.accountId} DESC`, asc(memberships.createdAt))
    .limit(1);
  return row ?? null;
}

export type StoredUser = Omit<SessionUser, 'sessionId' | 'membershipVersion' | 'role'> & { passwordHash: string };

export async function findUser(svc: Services, where: SQL): Promise<StoredUser | null> {
  const rows = await svc.db
    .select({ ...USER_COLUMNS, accountId: users.accountId, plan: accounts.plan, passwordHash: users.passwordHash })
    .from(users)
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .where(where)
    .limit(1);
  return rows[0] ? asUser(rows[0]) : null;
}

export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (/UNIQUE constraint failed/i.test(String((e as Error).message ?? ''))) return true;
  }
  return false;
}
