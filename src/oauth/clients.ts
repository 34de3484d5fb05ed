import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, count, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { auditStatement, type Actor } from '../audit/record.js';
import { insertWithinLimitStatement, limitRefusal, type Quota } from '../db/insert-within-limit.js';
import { plan, runPlan, type Plan } from '../db/plan.js';
import { accounts, oauthClients } from '../db/schema.js';
import { limitReached, notFound } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { limitsOf, type AccountRef, type PlanName } from '../domain/plans.js';
import type { Services } from '../services.js';

/**
 * Client secrets are 32 random bytes (256 bits), so they cannot be guessed or brute-forced from a
 * leaked hash: a slow password hash would add latency to every token request and no security.
 * SHA-256 of the secret is stored and compared in constant time.
 */
export function hashClientSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** `createdBy`: the user who created the client and was shown its secret (null for clients older than that record). */
export type ClientView = { clientId: string; name: string; createdAt: string; revokedAt: string | null; createdBy: string | null };

const view = (c: typeof oauthClients.$inferSelect): ClientView => ({
  clientId: c.id,
  name: c.name,
  createdAt: c.createdAt.toISOString(),
  revokedAt: c.revokedAt?.toISOString() ?? null,
  createdBy: c.createdBy,
});

/** The account's clients, newest first, as a plan to batch with the caller's confirmation (issue 19). */
export function listClientsPlan(svc: Services, accountId: string): Plan<ClientView[]> {
  const query = svc.db.select().from(oauthClients).where(eq(oauthClients.accountId, accountId)).orderBy(desc(oauthClients.createdAt));
  return plan([query], ([rows]) => rows.map(view));
}

/** Returns the secret this once; only its hash is kept. The plan's limit holds under concurrency. */
export async function createClient(
  svc: Services,
  account: AccountRef,
  name: string,
  actor: Actor,
): Promise<ClientView & { clientSecret: string }> {
  const limits = limitsOf(account.plan);
  const id = newId('cli');
  const secret = `vgs_${randomBytes(32).toString('base64url')}`;
  const now = new Date(svc.now());
  const quota: Quota = {
      counted: activeClientsOf(account.id),
      limit: limits.maxApiClients,
      refuse: (have) =>
        limitReached(`${limits.label} plan allows ${limits.maxApiClients} API clients; you have ${have}. Revoke one or upgrade your plan.`, {
          plan: account.plan,
          limit: limits.maxApiClients,
          current: have,
        }),
  };
  const row = { id, accountId: account.id, name, secretHash: hashClientSecret(secret).toString('hex'), createdAt: now, createdBy: actor.actorId };
  const [inserted] = await svc.db.batch([
    svc.db.run(insertWithinLimitStatement(oauthClients, row, quota)),
    auditStatement(svc, actor, { action: 'oauthClients.create', entity: 'oauthClients', entityId: id, changes: { name } }, sql`changes() = 1`),
  ]);
  if (inserted.rowsAffected !== 1) throw await limitRefusal(svc.db, oauthClients, quota);
  return { clientId: id, name, createdAt: now.toISOString(), revokedAt: null, createdBy: actor.actorId, clientSecret: secret };
}

const activeClientsOf = (accountId: string) => and(eq(oauthClients.accountId, accountId), isNull(oauthClients.revokedAt))!;

export async function countActiveClients(svc: Services, accountId: string): Promise<number> {
  const [row] = await svc.db.select({ n: count() }).from(oauthClients).where(activeClientsOf(accountId));
  return row?.n ?? 0;
}

/** Revokes one client of the account, for a batch; with `onlyIf`, only when that holds. The time of a first revocation stays. */
export function clientRevocation(svc: Services, accountId: string, clientId: string, onlyIf: SQL = sql`1`) {
  return svc.db
    .update(oauthClients)
    .set({ revokedAt: sql`coalesce(${oauthClients.revokedAt}, ${svc.now()})` })
    .where(and(eq(oauthClients.id, clientId), eq(oauthClients.accountId, accountId), onlyIf));
}

/** Takes effect at once: the bearer check reads revoked_at on every request. */
export async function revokeClient(svc: Services, actor: Actor, clientId: string): Promise<ClientView> {
  const [rows] = await svc.db.batch([
    clientRevocation(svc, actor.accountId, clientId).returning(),
    auditStatement(svc, actor, { action: 'oauthClients.revoke', entity: 'oauthClients', entityId: clientId }, sql`changes() = 1`),
  ]);
  const [row] = rows;
  if (!row) throw notFound('client');
  return view(row);
}

export type ActiveClient = { clientId: string; accountId: string; plan: PlanName };

const DUMMY_HASH = hashClientSecret('vigil-no-such-client');

/** Verifies client credentials; an unknown client costs the same comparison as a wrong secret. */
export async function authenticateClient(svc: Services, clientId: string, secret: string): Promise<ActiveClient | null> {
  const client = await activeClient(svc, clientId);
  const expected = client ? Buffer.from(client.secretHash, 'hex') : DUMMY_HASH;
  const matches = expected.length === 32 && timingSafeEqual(expected, hashClientSecret(secret));
  return client && matches ? { clientId: client.clientId, accountId: client.accountId, plan: client.plan } : null;
}

/** One indexed lookup: the client, if it exists and is not revoked, with its account's plan. */
export async function activeClient(
  svc: Services,
  clientId: string,
): Promise<(ActiveClient & { secretHash: string }) | null> {
  return runPlan(svc.db, activeClientPlan(svc, clientId));
}

/** The same lookup as a plan, to send in one batch with the request's read (src/auth/caller.ts). */
export function activeClientPlan(svc: Services, clientId: string): Plan<(ActiveClient & { secretHash: string }) | null> {
  const query = svc.db
    .select({ clientId: oauthClients.id, accountId: oauthClients.accountId, plan: accounts.plan, secretHash: oauthClients.secretHash })
    .from(oauthClients)
    .innerJoin(accounts, eq(accounts.id, oauthClients.accountId))
    .where(activeClientCondition(clientId))
    .limit(1);
  return plan([query], ([[row]]) => row ?? null);
}

/** The client exists and is not revoked: also the condition under which a public-API hit is counted. */
export const activeClientCondition = (clientId: string) => and(eq(oauthClients.id, clientId), isNull(oauthClients.revokedAt))!;
