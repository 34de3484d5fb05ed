import net from 'node:net';
import { badInput } from '../../domain/errors.js';
import { checkHostAllowed, privateHostProblem } from '../../net/ssrf.js';
import { probeTcp } from '../../probes/tcp.js';
import type { Services } from '../../services.js';
import { copied, type Columns, type MonitorKind, type SettingsOf } from './kind.js';
import { TCP_CHECK_AFFECTING, tcpFields } from './tcp.input.js';

/** A tcp monitor: up when a connection to host:port opens within the timeout. Its target is kept as tcp://host:port in `url`. */
export type TcpSettings = SettingsOf<typeof tcpFields>;

export const tcpKind: MonitorKind<TcpSettings> = {
  name: 'tcp',
  fields: Object.keys(tcpFields),
  checkAffecting: TCP_CHECK_AFFECTING,
  confirmsFailures: true,
  notCheckableNow: null,

  async write(svc, s, { before }) {
    if (s.host !== undefined) await assertHostAllowed(svc, s.host);
    const columns: Columns = copied(s, ['timeoutMs']);
    if (s.host !== undefined || s.port !== undefined) {
      const current = before ? tcpTargetOf(before.url) : { host: '', port: 0 };
      columns.url = tcpUrl(s.host ?? current.host, s.port ?? current.port);
    }
    return { columns };
  },

  shownUrl: (m) => m.url,

  wire: (m) => tcpTargetOf(m.url),

  check: (_svc, m, opts) => probeTcp({ ...tcpTargetOf(m.url), timeoutMs: m.timeoutMs }, opts),

  probeRequest: (_svc, m) => ({ kind: 'tcp', target: { ...tcpTargetOf(m.url), timeoutMs: m.timeoutMs } }),
};

/** The target kept in `url`: tcp://host:port, an IPv6 host in brackets. */
export function tcpTargetOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return { host, port: Number(parsed.port) };
}

export function tcpUrl(host: string, port: number): string {
  return `tcp://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}

/** Through the same guard as URLs; a name that does not resolve yet is accepted. */
async function assertHostAllowed(svc: Services, host: string): Promise<void> {
  // With ALLOW_PRIVATE_TARGETS, link-local and metadata addresses are still refused (isAlwaysForbidden).
  const check = await checkHostAllowed(host, svc.config.allowPrivateTargets);
  if (check.ok || check.reason === 'DNS lookup failed') return;
  if (check.reason.startsWith('blocked: link-local')) {
    throw badInput('host', 'host points to a link-local or cloud metadata address; it can never be monitored');
  }
  throw badInput('host', privateHostProblem(svc.config.namesSettings));
}
