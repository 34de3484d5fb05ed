import { limitReached } from '../domain/errors.js';
import { limitsOf, type PlanName } from '../domain/plans.js';

/**
 * The rule every monitor's interval follows beyond its schema: the plan's shortest interval (a
 * LIMIT refusal naming it). The rules of each kind's own fields live in its module (./kinds/).
 */
export function assertIntervalAllowed(plan: PlanName, intervalSeconds: number): void {
  const limits = limitsOf(plan);
  if (intervalSeconds < limits.minIntervalSeconds) {
    throw limitReached(
      `${limits.label} plan checks every ${limits.minIntervalSeconds / 60} minutes at the shortest; intervalSeconds must be at least ${limits.minIntervalSeconds}. Upgrade for 1-minute checks.`,
      { plan, limit: limits.minIntervalSeconds, current: intervalSeconds },
      'intervalSeconds',
    );
  }
}
