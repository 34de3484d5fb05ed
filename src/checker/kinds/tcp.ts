import net from 'node:net';
import { probeFailureReason, type ProbeOptions, type ProbeResult } from '../probe.js';
import { checkHostAllowed } from '../ssrf.js';

export type TcpTarget = { host: string; port: number; timeoutMs: number };

/**
 * Up when a TCP connection to host:port opens within the timeout. The host goes through the same
 * SSRF guard as HTTP, and the socket connects to exactly the address the guard checked (no second
 * DNS lookup for rebinding to change).
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
  if (!check.ok) return done(check.reason);
  const address = check.addresses[0]!;
  const left = Math.max(1, Math.round(deadline - performance.now()));
  return new Promise<ProbeResult>((resolve) => {
    const socket = net.connect({ host: address, port: target.port });
    const finish = (reason: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(done(reason));
    };
    const timer = setTimeout(() => finish(`timeout after ${target.timeoutMs} ms`), left);
    socket.once('connect', () => finish(null));
    socket.once('error', (error) => finish(probeFailureReason(error)));
  });
}

/** A tcp monitor's url is stored as tcp://host:port. */
export function tcpTargetOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return { host, port: Number(parsed.port) };
}

export function tcpUrl(host: string, port: number): string {
  return `tcp://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}
