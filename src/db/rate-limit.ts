import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.js';
import { plan, runPlan, type Plan } from './plan.js';

/** The windows an account's plan limits, by key: counted here, read back by account.usage. */
export const accountWindowKey = {
  /** The public API's requests per minute, shared by all of the account's clients. */
  publicApi: (accountId: string) => `api:${accountId}`,
  /** Checks run at once (after a create, a URL change or a resume) per hour. */
  immediateChecks: (accountId: string) => `immediate-account:${accountId}`,
  /** Text messages sent in a calendar month (UTC): the window's key names the month, and it ends with it. */
  smsMonth: (accountId: string, now: number) => `sms:${accountId}:${new Date(now).toISOString().slice(0, 7)}`,
  /** SMS alerts skipped in a calendar month because the allowance was used up. */
  smsSkippedMonth: (accountId: string, now: number) => `sms-skipped:${accountId}:${new Date(now).toISOString().slice(0, 7)}`,
};


export type WindowHit = {
  /** Hits in the current window, this one included. */
  count: number;
  limit: number;
  remaining: number;
  /** When the window ends, ms since the epoch. */
  resetAt: number;
  allowed: boolean;
  retryAfterSeconds: number;
};

/**
 * Counts one hit against `key` in a fixed window, in a single atomic upsert, so every Lambda
 * instance sees the same count and parallel hits cannot slip past the limit.
 */
export async function hitWindow(
  db: Db,
  key: string,
  limit: number,
  windowMs: number,
  now: number,
): Promise<WindowHit> {
  const counted = await runPlan(db, windowHit(db, key, windowMs, now));
  if (!counted) throw new Error('rate limit upsert returned no row');
  return judgeHit(counted, limit, now);
}

export type CountedHit = { count: number; resetAt: number };

/**
 * The upsert of one hit as a plan, to send in one batch with other statements (the public API's
 * read). With `onlyIf`, the hit is counted only when that condition holds in the same
 * transaction (a request refused for auth counts nothing), and the plan yields null when it does not.
 */
export function windowHit(db: Db, key: string, windowMs: number, now: number, onlyIf: SQL = sql`1`): Plan<CountedHit | null> {
  const freshReset = now + windowMs;
  // INSERT … SELECT … WHERE: the WHERE also settles SQLite's parse of an upsert after a SELECT.
  const upsert = db.all<{ count: number; reset_at: number }>(sql`
    INSERT INTO rate_limits (key, count, reset_at) SELECT ${key}, 1, ${freshReset} WHERE ${onlyIf}
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.reset_at <= ${now} THEN 1 ELSE rate_limits.count + 1 END,
      reset_at = CASE WHEN rate_limits.reset_at <= ${now} THEN excluded.reset_at ELSE rate_limits.reset_at END
    RETURNING count, reset_at`);
  return plan([upsert], ([[row]]) => (row ? { count: Number(row.count), resetAt: Number(row.reset_at) } : null));
}

/** What a counted hit means against `limit`. */
export function judgeHit({ count, resetAt }: CountedHit, limit: number, now: number): WindowHit {
  return {
    count,
    limit,
    remaining: Math.max(0, limit - count),
    resetAt,
    allowed: count <= limit,
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)),
  };
}

export async function clearWindow(db: Db, key: string): Promise<void> {
  await db.run(sql`DELETE FROM rate_limits WHERE key = ${key}`);
}

/** Undoes one hit (a reserved failure that turned out to be a success). */
export async function refundHit(db: Db, key: string): Promise<void> {
  await db.run(sql`UPDATE rate_limits SET count = count - 1 WHERE key = ${key} AND count > 0`);
}

/** The hits counted against `key` in its current window (0 when none or expired); writes nothing. */
export async function countInWindow(db: Db, key: string, now: number): Promise<number> {
  const rows = await db.all<{ count: number }>(sql`SELECT count FROM rate_limits WHERE key = ${key} AND reset_at > ${now}`);
  return Number(rows[0]?.count ?? 0);
}

/**
 * Retry-After rounded up to the next `step` seconds: an exact value tells an attacker the very
 * second to send the next burst.
 */
export function coarseRetryAfter(seconds: number, step = 60): number {
  return Math.max(step, Math.ceil(seconds / step) * step);
}

export type Budget = { key: string; limit: number; windowMs: number };

/**
 * Spends one failure from each budget *before* the credential is checked, so parallel guesses
 * cannot all slip past the limit; the caller refunds them when the credential was right. Returns
 * the coarse Retry-After when any budget is exhausted, else null.
 */
export async function spendFailures(db: Db, budgets: Budget[], now: number): Promise<number | null> {
  let wait: number | null = null;
  for (const b of budgets) {
    const hit = await hitWindow(db, b.key, b.limit, b.windowMs, now);
    if (!hit.allowed) wait = Math.max(wait ?? 0, coarseRetryAfter(hit.retryAfterSeconds));
  }
  return wait;
}

/**
 * Spends one hit from each budget in turn, stopping at the first one exhausted: a request refused
 * by a narrow budget (one contact, one address) does not eat into the wider one behind it (the
 * account). Returns the seconds until that budget's window ends, or null when every budget allowed it.
 */
export async function spendInTurn(db: Db, budgets: Budget[], now: number): Promise<number | null> {
  for (const b of budgets) {
    const hit = await hitWindow(db, b.key, b.limit, b.windowMs, now);
    if (!hit.allowed) return hit.retryAfterSeconds;
  }
  return null;
}

/** For the daily prune: windows that have ended count nothing and are recreated on the next hit. */
export async function deleteExpiredWindows(db: Db, now: number): Promise<number> {
  const res = await db.run(sql`DELETE FROM rate_limits WHERE reset_at <= ${now}`);
  return res.rowsAffected;
}
