import { sql } from 'drizzle-orm';
import { DAY_MS, HOUR_MS, ROLLUP_GRAINS, splitIntoBuckets, type RollupGrain } from '../domain/time.js';
import type { TimeCategory } from '../domain/uptime.js';
import type { Db } from './client.js';
import { rollups } from './schema.js';

/** Hourly buckets only serve the 24 h window, daily ones at most 90 days: older time is not written. */
const KEEP_MS: Record<RollupGrain, number> = { hour: 26 * HOUR_MS, day: 92 * DAY_MS };

const COLUMN = { up: 'upMs', down: 'downMs', excluded: 'excludedMs' } as const;

/**
 * The upserts that add the stretch [from, to) spent in `category` to the hourly and daily rollups
 * of a monitor (issue 18, SLA-true uptime). Returned, not run, so callers (the checker's record,
 * a monitor's pause and resume) put them in the same batch as the state change that closes the stretch.
 */
export function accrueStatements(db: Db, monitorId: string, from: number | null, to: number, category: TimeCategory) {
  if (from === null || from >= to) return [];
  const column = COLUMN[category];
  return ROLLUP_GRAINS.flatMap((grain) => {
    const pieces = splitIntoBuckets(Math.max(from, to - KEEP_MS[grain]), to, grain);
    if (pieces.length === 0) return [];
    return [
      db
        .insert(rollups)
        .values(pieces.map((p) => ({ monitorId, grain, bucketStart: p.bucketStart, [column]: p.ms })))
        .onConflictDoUpdate({
          target: [rollups.monitorId, rollups.grain, rollups.bucketStart],
          set: { [column]: sql`${rollups[column]} + excluded.${sql.raw(snake(column))}` },
        }),
    ];
  });
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
