import { targetUrlProblem } from '../net/ssrf.js';
import type { Config } from '../config.js';
import type { ContactKind } from '../db/schema.js';
import { isVerifiedKind, type VerifiedKind } from '../domain/verified-kinds.js';

/** The kinds whose target is a URL. */
export type UrlKind = Exclude<ContactKind, VerifiedKind>;

/** Slack incoming webhooks and Discord webhooks live under these hosts and paths, and nowhere else. */
const CHAT_HOSTS: Record<'slack' | 'discord', { hosts: string[]; path: RegExp }> = {
  slack: { hosts: ['hooks.slack.com'], path: /^\/services\/[^/]+\/[^/]+\/[^/]+$/ },
  discord: { hosts: ['discord.com', 'discordapp.com'], path: /^\/api\/webhooks\/\d+\/[^/]+$/ },
};

/**
 * Why a URL may not be a target of this kind, or null. Checked at create, update and every send
 * (the rule may have changed, or the row been written by an older version).
 */
export function urlTargetProblem(config: Pick<Config, 'allowPrivateTargets' | 'chatWebhookTestHosts'>, kind: UrlKind, target: string): string | null {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return 'must be an absolute https URL';
  }
  if (url.username || url.password) return 'must not contain credentials (user:password@)';
  const testHost = config.chatWebhookTestHosts.includes(url.hostname);
  // Plain http only for local development and tests: never on Lambda, where allowPrivateTargets is off.
  const httpAllowed = config.allowPrivateTargets || testHost;
  if (url.protocol !== 'https:' && !(httpAllowed && url.protocol === 'http:')) return 'must be an https URL';
  if (kind === 'webhook') return null;
  const rule = CHAT_HOSTS[kind];
  if (!(rule.hosts.includes(url.hostname) || testHost) || !rule.path.test(url.pathname)) {
    return kind === 'slack'
      ? 'must be a Slack incoming-webhook URL (https://hooks.slack.com/services/…)'
      : 'must be a Discord webhook URL (https://discord.com/api/webhooks/…)';
  }
  return null;
}

/** The full check at create/update: the kind's rule, then the same SSRF guard as monitors. */
export async function targetProblem(config: Config, kind: ContactKind, target: string): Promise<string | null> {
  if (isVerifiedKind(kind)) return null; // the input schema checked the address or number
  const problem = urlTargetProblem(config, kind, target);
  if (problem) return problem;
  return targetUrlProblem(new URL(target), config.allowPrivateTargets, {}, config.namesSettings);
}
