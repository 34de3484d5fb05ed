import { eq, sql } from 'drizzle-orm';
import { accounts, users, type PlanName } from '../db/schema.js';
import { conflict, rateLimited, unauthenticated } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { requireKeys, type Services } from '../services.js';
import { beginLoginAttempt } from './login-throttle.js';
import { burnVerification, hashPassword, verifyPassword } from './password.js';
import type { Credentials, PublicUser } from './schemas.js';
import { signSession, verifySession } from './tokens.js';

const INVALID_LOGIN = 'invalid email or password';

export type SessionUser = {
  id: string;
  email: string;
  accountId: string;
  plan: PlanName;
  sessionVersion: number;
  createdAt: Date;
};

export type SignedIn = { user: SessionUser; token: string };

export function toPublicUser(u: SessionUser): PublicUser {
  return { id: u.id, email: u.email, accountId: u.accountId, plan: u.plan, createdAt: u.createdAt.toISOString() };
}

/** Creates a Free account with its first user, atomically, and signs the user in. */
export async function register(svc: Services, { email, password }: Credentials): Promise<SignedIn> {
  const passwordHash = await hashPassword(password);
  const accountId = newId('acc');
  const userId = newId('usr');
  const now = new Date(svc.now());
  try {
    await svc.db.batch([
      svc.db.insert(accounts).values({ id: accountId, plan: 'free', createdAt: now }),
      svc.db.insert(users).values({ id: userId, accountId, email, passwordHash, createdAt: now }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict('an account with this email already exists');
    }
    throw error;
  }
  const user: SessionUser = { id: userId, email, accountId, plan: 'free', sessionVersion: 0, createdAt: now };
  return { user, token: await issueSession(svc, user) };
}

/**
 * Throttled per address and per (email, address) before the password is checked (see
 * login-throttle.ts), so an attacker's guesses never lock the owner out from their own address.
 */
export async function login(svc: Services, { email, password }: Credentials, ip: string): Promise<SignedIn> {
  const attempt = await beginLoginAttempt(svc, email, ip);
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
  return { user, token: await issueSession(svc, user) };
}

/** The user behind a session token, or null when the token or the session is no longer valid. */
export async function authenticateSession(svc: Services, token: string | null): Promise<SessionUser | null> {
  if (!token) return null;
  const claims = await verifySession(requireKeys(svc), token, svc.now());
  if (!claims) return null;
  const found = await findUser(svc, eq(users.id, claims.userId));
  if (!found) return null;
  const { passwordHash: _, ...user } = found;
  if (user.accountId !== claims.accountId || user.sessionVersion !== claims.sessionVersion) return null;
  return user;
}

/** Signs the user out everywhere: every token carrying the old version stops working. */
export async function revokeAllSessions(svc: Services, userId: string): Promise<void> {
  await svc.db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
}

function issueSession(svc: Services, user: SessionUser): Promise<string> {
  return signSession(
    requireKeys(svc),
    { userId: user.id, accountId: user.accountId, sessionVersion: user.sessionVersion },
    svc.now(),
  );
}

async function findUser(
  svc: Services,
  where: ReturnType<typeof eq>,
): Promise<(SessionUser & { passwordHash: string }) | null> {
  const rows = await svc.db
    .select({
      id: users.id,
      email: users.email,
      accountId: users.accountId,
      plan: accounts.plan,
      sessionVersion: users.sessionVersion,
      createdAt: users.createdAt,
      passwordHash: users.passwordHash,
    })
    .from(users)
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .where(where)
    .limit(1);
  return rows[0] ?? null;
}

export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (/UNIQUE constraint failed/i.test(String((e as Error).message ?? ''))) return true;
  }
  return false;
}
