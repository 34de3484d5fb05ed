/**
 * issue 18: one check of a monitor of any kind. http probes its URL with the monitor's request
 * settings; tcp opens a connection; heartbeat probes nothing and compares the last ping with the
 * clock. Null means there is nothing to record yet (a heartbeat still waiting for its first ping).
 */
import { secretBoxFor } from '../../crypto/secret-box.js';
import type { MonitorRow } from '../../db/schema.js';
import { evaluateHeartbeat } from '../../heartbeat/evaluate.js';
import type { Services } from '../../services.js';
import { probe, type ProbeOptions, type ProbeResult } from '../probe.js';
import { openCredential } from './credentials.js';
import { probeTcp, tcpTargetOf } from './tcp.js';

/** The Authorization header value for the probe, opened from its sealed form (monitors/settings.ts seals it), or null. */
function openAuthorization(svc: Services, m: Pick<MonitorRow, 'id' | 'url' | 'authSealed'>): string | null {
  return m.authSealed ? openCredential(secretBoxFor(svc.config), m.authSealed, m.id, m.url) : null;
}

/** What a check reads of its monitor to probe it (src/checker/run.ts selects these columns). */
export type ProbedMonitor = Pick<
  MonitorRow,
  | 'id' | 'kind' | 'url' | 'method' | 'timeoutMs' | 'expectedStatusCodes' | 'keyword' | 'keywordMode' | 'keywordCaseSensitive'
  | 'requestHeaders' | 'requestBody' | 'authSealed' | 'degradedAboveMs'
  | 'intervalSeconds' | 'graceSeconds' | 'lastPingAt' | 'lastPingOk' | 'statusSince' | 'createdAt'
>;

export async function checkMonitor(svc: Services, m: ProbedMonitor, opts: ProbeOptions): Promise<ProbeResult | null> {
  if (m.kind === 'heartbeat') {
    return evaluateHeartbeat(
      {
        intervalSeconds: m.intervalSeconds,
        graceSeconds: m.graceSeconds ?? 0,
        lastPingAt: m.lastPingAt,
        lastPingOk: m.lastPingOk,
        waitingSince: m.statusSince?.getTime() ?? m.createdAt.getTime(),
      },
      svc.now(),
    );
  }
  let authorization: string | null = null;
  try {
    authorization = m.kind === 'http' ? openAuthorization(svc, m) : null;
  } catch {
    // A missing or rotated-away key: a failed check that says why, never the credential.
    return { ok: false, statusCode: null, responseTimeMs: 0, reason: 'credentials could not be decrypted', certExpiresAt: null };
  }
  const result =
    m.kind === 'tcp'
      ? await probeTcp({ ...tcpTargetOf(m.url), timeoutMs: m.timeoutMs }, opts)
      : await probe(
          {
            url: m.url,
            method: m.method,
            timeoutMs: m.timeoutMs,
            expectedStatusCodes: m.expectedStatusCodes,
            keyword: m.keyword,
            keywordMode: m.keywordMode,
            keywordCaseSensitive: m.keywordCaseSensitive,
            headers: m.requestHeaders ? (JSON.parse(m.requestHeaders) as Record<string, string>) : {},
            authorization,
            body: m.requestBody,
          },
          opts,
        );
  // Slow but answering is up, shown as degraded: never an incident.
  if (result.ok && m.degradedAboveMs !== null && result.responseTimeMs > m.degradedAboveMs) return { ...result, degraded: true };
  return result;
}
