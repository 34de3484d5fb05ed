import { eq, sql } from 'drizzle-orm';
import { accounts, users } from '../db/schema.js';
import type { PlanName } from '../domain/plans.js';
import { conflict, rateLimited, unauthenticated } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { clearWindow, hitWindow } from '../db/rate-limit.js';
import type { ApiServices } from '../services.js';
import { burnVerification, hashPassword, verifyPassword } from './password.js';
import type { Credentials, PublicUser } from './schemas.js';
import { signSession, verifySession } from './tokens.js';

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
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
export async function register(svc: ApiServices, { email, password }: Credentials): Promise<SignedIn> {
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
 * Every attempt is counted before the password is checked, in one atomic upsert, so parallel
 * guesses cannot slip past the limit; a success clears the count.
 */
export async function login(svc: ApiServices, { email, password }: Credentials): Promise<SignedIn> {
  const throttleKey = `login:${email}`;
  const hit = await hitWindow(svc.db, throttleKey, LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS, svc.now());
  if (!hit.allowed) {
    throw rateLimited('too many failed sign-in attempts; try again later', hit.retryAfterSeconds);
  }
  const found = await findUser(svc, eq(users.email, email));
  if (!found) {
    await burnVerification(password);
    throw unauthenticated(INVALID_LOGIN);
  }
  const { passwordHash, ...user } = found;
  if (!(await verifyPassword(passwordHash, password))) {
    throw unauthenticated(INVALID_LOGIN);
  }
  await clearWindow(svc.db, throttleKey);
  return { user, token: await issueSession(svc, user) };
}

/** The user behind a session token, or null when the token or the session is no longer valid. */
export async function authenticateSession(svc: ApiServices, token: string | null): Promise<SessionUser | null> {
  if (!token) return null;
  const claims = await verifySession(svc.keys, token, svc.now());
  if (!claims) return null;
  const found = await findUser(svc, eq(users.id, claims.userId));
  if (!found) return null;
  const { passwordHash: _, ...user } = found;
  if (user.accountId !== claims.accountId || user.sessionVersion !== claims.sessionVersion) return null;
  return user;
}

/** Signs the user out everywhere: every token carrying the old version stops working. */
export async function revokeAllSessions(svc: ApiServices, userId: string): Promise<void> {
  await svc.db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
}

function issueSession(svc: ApiServices, user: SessionUser): Promise<string> {
  return signSession(
    svc.keys,
    { userId: user.id, accountId: user.accountId, sessionVersion: user.sessionVersion },
    svc.now(),
  );
}

async function findUser(
  svc: ApiServices,
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
