/** Time constants and the rollup buckets, shared by the checker (which writes rollups) and the monitors' reads. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Rollups count checks per UTC hour and per UTC day. */
export const ROLLUP_GRAINS = ['hour', 'day'] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];

/** Start of the UTC hour or day that `t` (ms since the epoch) falls in. */
export const bucketStart = (t: number, grain: RollupGrain) => t - (t % (grain === 'hour' ? HOUR_MS : DAY_MS));
