/** Time constants and the rollup buckets, shared by the checker (which writes rollups) and the monitors' reads. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Rollups count checks (and time up / down / excluded) per UTC hour and per UTC day. */
export const ROLLUP_GRAINS = ['hour', 'day'] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];

/**
 * Hourly rollups are read for at most 90 days back (the 90-day bars and the 30-day chart sum a day's
 * checks from its hours, docs/adr/0018-rows-per-check.md), with two days' margin for time zones
 * and for a bar's first day. A monitor keeps that many hours' rows and reuses them in turn (the
 * `rollups` table's slot); daily rollups are a row a day and stay.
 */
export const HOURLY_ROLLUPS_KEPT_MS = 92 * DAY_MS;
export const HOUR_SLOTS = HOURLY_ROLLUPS_KEPT_MS / HOUR_MS;

/** The length of one bucket of each grain. */
export const GRAIN_MS: Record<RollupGrain, number> = { hour: HOUR_MS, day: DAY_MS };

/** Start of the UTC hour or day that `t` (ms since the epoch) falls in. */
export const bucketStart = (t: number, grain: RollupGrain) => t - (t % GRAIN_MS[grain]);

/** [from, to) cut at bucket boundaries: each piece's bucket start and length in ms. */
export function splitIntoBuckets(from: number, to: number, grain: RollupGrain): { bucketStart: number; ms: number }[] {
  const pieces: { bucketStart: number; ms: number }[] = [];
  for (let start = bucketStart(from, grain), t = from; t < to; start += GRAIN_MS[grain]) {
    const end = Math.min(to, start + GRAIN_MS[grain]);
    pieces.push({ bucketStart: start, ms: end - t });
    t = end;
  }
  return pieces;
}

/** When the calendar month (UTC) of `now` ends: the SMS allowance's window. */
export function monthEnd(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
