import { duration } from '../../ui/monitor-format';
import { MAX_INTERVAL_SECONDS } from './schema';

export { duration };

/** The intervals the form offers, from one minute to a day; a plan allows those from its shortest up. */
const INTERVALS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, MAX_INTERVAL_SECONDS];

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

/** How long an incident must last before anyone is alerted; 0 is at once. */
const ALERT_DELAYS = [0, 60, 120, 300, 600, 900, 1800, 3600];
/** How often monitor.down is repeated while an incident stays open. */
const REMINDERS = [300, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400];

/** A saved value set through the API is kept among the choices: it is what the monitor has. */
function withSaved(list: number[], saved: number | null | undefined): number[] {
  return saved === undefined || saved === null || list.includes(saved) ? list : [...list, saved].sort((a, b) => a - b);
}

/** The alert delays the form offers, as [seconds, words]. */
export function alertDelayChoices(saved?: number): [string, string][] {
  return withSaved(ALERT_DELAYS, saved).map((s) => [String(s), s === 0 ? 'At once' : `After ${duration(s)} down`]);
}

/** The reminder periods the form offers, '' being never. */
export function reminderChoices(saved?: number | null): [string, string][] {
  return [['', 'Never'], ...withSaved(REMINDERS, saved).map((s): [string, string] => [String(s), `Every ${duration(s)}`])];
}
