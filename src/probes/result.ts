/**
 * What one probe of a target found, whatever the kind of target (an HTTP request, a TCP
 * connection, a heartbeat's last ping), and the options every probe shares. Apart from the probes
 * themselves, so that a kind that probes nothing (heartbeat) depends on none of them.
 */
import type { RegionOutcome } from '../domain/regions.js';
import type { HostResolver } from '../net/ssrf.js';

export type ProbeResult = {
  ok: boolean;
  /** Status of the final response; null when no response was received. */
  statusCode: number | null;
  /** Integer ms, the whole probe. */
  responseTimeMs: number;
  /** null when ok; else short and human, e.g. "HTTP 503", "timeout after 10000 ms". */
  reason: string | null;
  /** For https targets, validTo of the leaf certificate of the monitor's own URL. */
  certExpiresAt: Date | null;
  /** Up, but slower than the monitor's degradedAboveMs. */
  degraded?: boolean;
  /** A check from several regions: what each region said (the fields above are the decided result). */
  regions?: RegionOutcome[];
};

export type ProbeOptions = {
  allowPrivateTargets: boolean;
  /** A refused private address names the setting that allows it (Config.namesSettings). */
  namesSettings?: boolean;
  userAgent?: string;
  /** Tests only: replaces DNS resolution. */
  resolve?: HostResolver;
  /** Tests only: replaces the SSRF address guard (used when allowPrivateTargets is false). */
  isForbidden?: (ip: string) => boolean;
  /** Tests only: extra trusted CA certificate(s) (PEM); verification stays on. */
  ca?: string;
};

