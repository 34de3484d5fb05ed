import { sql } from 'drizzle-orm';
import type { Db } from './client.js';

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
  const freshReset = now + windowMs;
  const rows = await db.all<{ count: number; reset_at: number }>(sql`
    INSERT INTO rate_limits (key, count, reset_at) VALUES (${key}, 1, ${freshReset})
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.reset_at <= ${now} THEN 1 ELSE rate_limits.count + 1 END,
      reset_at = CASE WHEN rate_limits.reset_at <= ${now} THEN excluded.reset_at ELSE rate_limits.reset_at END
    RETURNING count, reset_at`);
  const row = rows[0];
  if (!row) throw new Error('rate limit upsert returned no row');
  const count = Number(row.count);
  const resetAt = Number(row.reset_at);
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
