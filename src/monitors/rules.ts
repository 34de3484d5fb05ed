import { targetUrlProblem } from '../net/ssrf.js';
import type { MonitorRow } from '../db/schema.js';
import { badInput, limitReached } from '../domain/errors.js';
import { limitsOf, type PlanName } from '../domain/plans.js';
import type { Services } from '../services.js';

/**
 * The rules a monitor's settings must follow beyond their schema, each about one field, so each
 * refusal names that field (BAD_INPUT) or the plan limit it meets (LIMIT).
 */

export function assertIntervalAllowed(plan: PlanName, intervalSeconds: number): void {
  const limits = limitsOf(plan);
  if (intervalSeconds < limits.minIntervalSeconds) {
    throw limitReached(
      `${limits.label} plan checks every ${limits.minIntervalSeconds / 60} minutes at the shortest; intervalSeconds must be at least ${limits.minIntervalSeconds}. Upgrade for 1-minute checks.`,
      { plan, limit: limits.minIntervalSeconds, current: intervalSeconds },
    );
  }
}

/** A HEAD response has no body, so a keyword could never be found: refuse the pair up front. */
export function assertKeywordReadable(method: MonitorRow['method'], keyword: string | null): void {
  if (method === 'HEAD' && keyword) {
    throw badInput('keyword', 'a HEAD request returns no body to search; use GET or remove the keyword');
  }
}

/** The SSRF guard at the door: private and loopback targets are refused unless the deployment allows them; link-local and metadata always. */
export async function assertUrlAllowed(svc: Services, url: string): Promise<void> {
  const problem = await targetUrlProblem(new URL(url), svc.config.allowPrivateTargets);
  if (problem) throw badInput('url', problem);
}
