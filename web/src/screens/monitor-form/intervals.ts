import { MAX_INTERVAL_SECONDS } from './schema';

/** The intervals the form offers, from one minute to a day; a plan allows those from its shortest up. */
const INTERVALS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, MAX_INTERVAL_SECONDS];

/** "5 minutes", "1 hour", "24 hours". */
export function duration(seconds: number): string {
  const [n, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : [seconds / 60, 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * The intervals the plan allows, as [seconds, words] choices. A saved monitor's own interval is
 * kept among them even when it is not one of these (set through the API) or no longer allowed (the
 * plan changed): it is what the monitor has, and the server says so if it refuses it.
 */
export function intervalChoices(minSeconds: number, saved?: number): [string, string][] {
  const allowed = INTERVALS.filter((s) => s >= minSeconds);
  if (saved !== undefined && !allowed.includes(saved)) allowed.push(saved);
  return allowed.sort((a, b) => a - b).map((s) => [String(s), s < minSeconds ? `${duration(s)} (more often than your plan allows)` : duration(s)]);
}
