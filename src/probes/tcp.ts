import { pinnedConnect } from '../net/pinned-connect.js';
import { checkHostAllowed, withPrivateTargetsHint } from '../net/ssrf.js';
import { probeFailureReason } from './http.js';
import type { ProbeOptions, ProbeResult } from './result.js';

export type TcpTarget = { host: string; port: number; timeoutMs: number };

/**
 * Up when a TCP connection to host:port opens within the timeout. The host goes through the same
 * SSRF guard as HTTP (src/net/ssrf.ts), and the socket connects to exactly the address the guard
 * checked (src/net/pinned-connect.ts: no second DNS lookup for rebinding to change).
 */
export async function probeTcp(target: TcpTarget, opts: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const done = (reason: string | null): ProbeResult => ({
    ok: reason === null,
    statusCode: null,
    responseTimeMs: Math.max(0, Math.round(performance.now() - started)),
    reason,
    certExpiresAt: null,
  });
  const deadline = started + target.timeoutMs;
  const check = await checkHostAllowed(target.host, opts.allowPrivateTargets, { resolve: opts.resolve, isForbidden: opts.isForbidden });
  if (!check.ok) return done(withPrivateTargetsHint(check.reason, opts.namesSettings ?? false));
  const left = Math.max(1, Math.round(deadline - performance.now()));
  const outcome = await pinnedConnect({ addresses: check.addresses, port: target.port, timeoutMs: left });
  if (outcome.ok) return done(null);
  return done(outcome.timedOut ? `timeout after ${target.timeoutMs} ms` : probeFailureReason(outcome.error));
}
