import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import { accountTokens, type AccountTokenKind } from '../db/schema.js';
import { HOUR_MS, MINUTE_MS } from '../domain/time.js';
import type { Services } from '../services.js';

/** How long each emailed link works. */
export const LINK_TTL_MS: Record<AccountTokenKind, number> = {
  'verify-email': 24 * HOUR_MS,
  'reset-password': 30 * MINUTE_MS,
};

/** Only this digest is stored: a database leak yields no working link. */
export const hashLinkToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** 32 random bytes, base64url: the secret part of an emailed link. */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

/** The insert for a new link (to batch with the change that causes it); the token goes in the email. */
export function linkTokenInsert(
  svc: Services,
  userId: string,
  kind: AccountTokenKind,
  hash: string,
  passwordHash: string | null = null,
) {
  const now = svc.now();
  return svc.db.insert(accountTokens).values({
    tokenHash: hash,
    userId,
    kind,
    passwordHash,
    createdAt: new Date(now),
    expiresAt: new Date(now + LINK_TTL_MS[kind]),
  });
}

export type ConsumedLink = { userId: string; passwordHash: string | null };

const liveLink = (svc: Services, token: string, kind: AccountTokenKind) =>
  and(eq(accountTokens.tokenHash, hashLinkToken(token)), eq(accountTokens.kind, kind), gt(accountTokens.expiresAt, new Date(svc.now())))!;

/** A live link, read without using it (to check what else its use requires first). */
export async function findLinkToken(svc: Services, token: string, kind: AccountTokenKind): Promise<ConsumedLink | null> {
  const [row] = await svc.db
    .select({ userId: accountTokens.userId, passwordHash: accountTokens.passwordHash })
    .from(accountTokens)
    .where(liveLink(svc, token, kind))
    .limit(1);
  return row ?? null;
}

/**
 * Uses a link once: one conditional DELETE … RETURNING, so of two parallel uses exactly one gets
 * the row. An unknown, expired, already used or other-kind token is null.
 */
export async function consumeLinkToken(svc: Services, token: string, kind: AccountTokenKind): Promise<ConsumedLink | null> {
  const [row] = await svc.db
    .delete(accountTokens)
    .where(liveLink(svc, token, kind))
    .returning({ userId: accountTokens.userId, passwordHash: accountTokens.passwordHash });
  return row ?? null;
}

/** Outstanding links of one kind die when the account changes hands or its password is reset or changed. */
export function deleteLinksOf(svc: Services, userId: string, kind: AccountTokenKind) {
  return svc.db.delete(accountTokens).where(and(eq(accountTokens.userId, userId), eq(accountTokens.kind, kind)));
}

/** For the daily prune. */
export async function deleteExpiredLinks(svc: Services): Promise<number> {
  const res = await svc.db.run(sql`DELETE FROM account_tokens WHERE expires_at <= ${svc.now()}`);
  return res.rowsAffected;
}
