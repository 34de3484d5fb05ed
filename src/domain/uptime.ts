/**
 * SLA-true uptime, the pure arithmetic.
 *
 *   uptime = 1 − downtime / period
 *
 * where the period is the window minus the excluded time (paused, maintenance, not yet checked),
 * and downtime is the time spent down (incident time) inside the window. Time is accounted as the
 * monitor moves between states: each closed stretch [from, to) is split over the hourly and daily
 * rollup buckets it touches and added to that bucket's upMs / downMs / excludedMs counter, so a
 * window reads only rollup rows, never the raw checks. The buckets themselves are src/domain/time.ts.
 */

import { bucketStart, GRAIN_MS, type RollupGrain } from './time.js';

/** Which counter a stretch of time goes to. */
export type TimeCategory = 'up' | 'down' | 'excluded';

/** A monitor status as the time accounting sees it: degraded is up; paused, pending and maintenance are excluded. */
export function categoryOf(status: string, paused: boolean): TimeCategory {
  if (paused) return 'excluded';
  if (status === 'up' || status === 'degraded') return 'up';
  if (status === 'down') return 'down';
  return 'excluded';
}

/** Percent with 3 decimals; null when nothing of the window was observed (all excluded). */
export function uptimePercent(upMs: number, downMs: number): number | null {
  const period = upMs + downMs;
  if (period <= 0) return null;
  return Math.round((1 - downMs / period) * 100_000) / 1000;
}

/** The windows the APIs show: 24 h read from hourly buckets, the rest from daily ones. */
export const UPTIME_WINDOWS = {
  uptime24h: { grain: 'hour', buckets: 25 },
  uptime7d: { grain: 'day', buckets: 7 },
  uptime30d: { grain: 'day', buckets: 30 },
  uptime90d: { grain: 'day', buckets: 90 },
} as const satisfies Record<string, { grain: RollupGrain; buckets: number }>;
export type UptimeWindow = keyof typeof UPTIME_WINDOWS;

/**
 * Where a window starts: whole UTC buckets up to now, the current one included (24 h covers the
 * current hour and the 24 before it; 30 d the current UTC day and the 29 before it).
 */
export function windowStart(window: UptimeWindow, now: number): number {
  const { grain, buckets } = UPTIME_WINDOWS[window];
  return bucketStart(now, grain) - (buckets - 1) * GRAIN_MS[grain];
}
