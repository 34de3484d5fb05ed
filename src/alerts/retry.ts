import type { AlertEventType } from '../db/schema.js';
import { DAY_MS } from '../domain/time.js';

/** When a failed delivery is tried again: about 30 s, 2 min, 10 min, 30 min, 2 h, then every 6 h. */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 1_800_000, 7_200_000, 21_600_000] as const;
/** A delivery still failing this long after its event is given up (`failed`). */
export const GIVE_UP_AFTER_MS = DAY_MS;

/**
 * The next attempt after `attempts` failed ones, or null to give up. Jitter (±20 %) spreads the
 * retries of one outage's many deliveries; the last attempt lands at the deadline, not after it.
 */
export function nextAttemptAt(attempts: number, now: number, eventAt: number, random: () => number = Math.random): number | null {
  const deadline = eventAt + GIVE_UP_AFTER_MS;
  if (now >= deadline) return null;
  const base = RETRY_DELAYS_MS[Math.min(Math.max(attempts, 1), RETRY_DELAYS_MS.length) - 1]!;
  return Math.min(now + Math.round(base * (0.8 + 0.4 * random())), deadline);
}

/**
 * A test event is tried once: its outcome is shown to whoever asked (alerts.deliveries), and
 * retrying a failed one for a day would turn one `contacts.test` into a dozen requests to its host.
 */
export const isRetried = (type: AlertEventType): boolean => type !== 'test';
