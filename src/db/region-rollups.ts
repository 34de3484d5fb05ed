import type { RegionOutcome } from '../domain/regions.js';
import { bucketStart, ROLLUP_GRAINS } from '../domain/time.js';
import type { Statement } from './accrual.js';

const upsertSql = new Map<number, string>();

/**
 * One statement adding a check from several regions to each region's hourly and daily response-time
 * rollups (`region_rollups`): asked, answered, answered up and the up answers' times. Its text
 * depends only on the number of rows, so it is built once per count. Null for a single-region check.
 */
export function regionRollupUpsert(monitorId: string, checkedAt: number, outcomes: readonly RegionOutcome[] | undefined): Statement | null {
  if (!outcomes?.length) return null;
  const n = outcomes.length * ROLLUP_GRAINS.length;
  let text = upsertSql.get(n);
  if (!text) {
    text =
      'INSERT INTO region_rollups (monitor_id, grain, bucket_start, region, checks, answered, ok_checks, total_response_ms) VALUES ' +
      Array.from({ length: n }, () => '(?, ?, ?, ?, 1, ?, ?, ?)').join(', ') +
      ' ON CONFLICT (monitor_id, grain, bucket_start, region) DO UPDATE SET checks = checks + 1, answered = answered + excluded.answered, ' +
      'ok_checks = ok_checks + excluded.ok_checks, total_response_ms = total_response_ms + excluded.total_response_ms';
    upsertSql.set(n, text);
  }
  const args: Statement['args'] = [];
  for (const grain of ROLLUP_GRAINS) {
    const start = bucketStart(checkedAt, grain);
    for (const o of outcomes) {
      const up = o.state === 'up';
      args.push(monitorId, grain, start, o.region, o.state === 'unknown' ? 0 : 1, up ? 1 : 0, up ? (o.responseTimeMs ?? 0) : 0);
    }
  }
  return { sql: text, args };
}
