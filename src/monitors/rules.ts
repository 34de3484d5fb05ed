import { checkHostAllowed, privateHostProblem, targetUrlProblem } from '../net/ssrf.js';
import type { MonitorRow } from '../db/schema.js';
import { badInput, limitReached } from '../domain/errors.js';
import { limitsOf, type PlanName } from '../domain/plans.js';
import type { Services } from '../services.js';
import type { UpdateMonitorInput } from './schemas.js';

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
      'intervalSeconds',
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
  const problem = await targetUrlProblem(new URL(url), svc.config.allowPrivateTargets, {}, svc.config.namesSettings);
  if (problem) throw badInput('url', problem);
}

/** issue 18: tcp targets go through the same guard as URLs; a name that does not resolve yet is accepted. */
export async function assertHostAllowed(svc: Services, host: string): Promise<void> {
  // With ALLOW_PRIVATE_TARGETS, link-local and metadata addresses are still refused (isAlwaysForbidden).
  const check = await checkHostAllowed(host, svc.config.allowPrivateTargets);
  if (check.ok || check.reason === 'DNS lookup failed') return;
  if (check.reason.startsWith('blocked: link-local')) {
    throw badInput('host', 'host points to a link-local or cloud metadata address; it can never be monitored');
  }
  throw badInput('host', privateHostProblem(svc.config.namesSettings));
}

/** issue 18: the settings each kind does not have; an edit setting one is refused, naming the field. */
const KIND_FIELDS: Record<MonitorRow['kind'], readonly (keyof UpdateMonitorInput)[]> = {
  http: ['host', 'port', 'graceSeconds'],
  tcp: ['url', 'method', 'keyword', 'expectedStatusCodes', 'headers', 'body', 'auth', 'keywordMode', 'keywordCaseSensitive', 'degradedAboveMs', 'graceSeconds'],
  heartbeat: ['url', 'method', 'keyword', 'expectedStatusCodes', 'headers', 'body', 'auth', 'keywordMode', 'keywordCaseSensitive', 'degradedAboveMs', 'host', 'port', 'timeoutMs'],
};

export function assertFieldsFitKind(kind: MonitorRow['kind'], input: UpdateMonitorInput): void {
  const wrong = KIND_FIELDS[kind].find((key) => input[key] !== undefined);
  if (wrong) throw badInput(wrong, `a ${kind} monitor has no ${wrong}`);
}
