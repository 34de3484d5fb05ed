import type { KindConfig } from './kind.js';

/** A service's webhook lives under these hosts and paths, and nowhere else. */
export type ServiceUrlRule = { hosts: (hostname: string) => boolean; path: RegExp; refusal: string };

/**
 * Why a URL may not be a target, or null: absolute, no credentials, https (plain http only for
 * local development and tests: never on Lambda, where allowPrivateTargets is off), and, for a
 * service's webhook, its hosts and paths. In tests a loopback receiver stands in for a service's
 * host (chatWebhookTestHosts) without loosening the rule anywhere else. The SSRF guard is applied
 * after this, on every URL.
 */
export function urlProblem(config: KindConfig, target: string, rule?: ServiceUrlRule): string | null {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return 'must be an absolute https URL';
  }
  if (url.username || url.password) return 'must not contain credentials (user:password@)';
  const testHost = config.chatWebhookTestHosts.includes(url.hostname);
  const httpAllowed = config.allowPrivateTargets || testHost;
  if (url.protocol !== 'https:' && !(httpAllowed && url.protocol === 'http:')) return 'must be an https URL';
  if (rule && (!(rule.hosts(url.hostname) || testHost) || !rule.path.test(url.pathname))) return rule.refusal;
  return null;
}

/** A host rule: exactly one of `names`, or any host ending in one of `suffixes` (".logic.azure.com"). */
export const hostIn =
  (names: string[], suffixes: string[] = []) =>
  (hostname: string): boolean =>
    names.includes(hostname) || suffixes.some((s) => hostname.endsWith(s) && hostname.length > s.length);
