import { badInput, limitReached } from '../domain/errors.js';
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

/**
 * The rules of a monitor's regions beyond their schema: each one the deployment checks from, home
 * among them, no more than the plan allows (a LIMIT refusal naming `regions`), a quorum no larger
 * than the regions, and none but home for a heartbeat (it is pinged, not probed). Returns the
 * column value: the regions home first, or null for home alone.
 */
export function regionsColumn(
  plan: PlanName,
  deployment: { home: string; all: readonly string[] },
  kind: string,
  asked: readonly string[] | null,
  failureQuorum: number | null,
): string[] | null {
  const list = asked ?? [deployment.home];
  const unknown = list.find((r) => !deployment.all.includes(r));
  if (unknown) throw badInput('regions', `${unknown} is not a region this service checks from; choose from ${deployment.all.join(', ')}`);
  if (!list.includes(deployment.home)) throw badInput('regions', `must include the home region ${deployment.home}, where the schedule runs`);
  if (kind === 'heartbeat' && list.length > 1) throw badInput('regions', 'heartbeat monitors are pinged, not probed: they have only the home region');
  const limits = limitsOf(plan);
  if (list.length > limits.maxRegions) {
    throw limitReached(
      `${limits.label} plan checks from ${limits.maxRegions === 1 ? 'one region' : `${limits.maxRegions} regions`} at most; you chose ${list.length}. Upgrade to check from more.`,
      { plan, limit: limits.maxRegions, current: list.length },
      'regions',
    );
  }
  if (failureQuorum !== null && failureQuorum > list.length) {
    throw badInput('failureQuorum', `must be at most the number of regions (${list.length})`);
  }
  const ordered = deployment.all.filter((r) => list.includes(r));
  return ordered.length > 1 ? ordered : null;
}
