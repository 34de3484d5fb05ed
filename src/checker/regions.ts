import { decideRegions, type RegionOutcome } from '../domain/regions.js';
import type { MonitorKind, CheckedMonitor } from '../monitors/kinds/kind.js';
import { isProbeRequest } from '../monitors/kinds/kind.js';
import { checkHostAllowed, withPrivateTargetsHint } from '../net/ssrf.js';
import type { RegionAnswer } from '../probes/regions.js';
import { runProbeRequest, type ProbeRequest } from '../probes/request.js';
import type { ProbeOptions, ProbeResult } from '../probes/result.js';
import type { Services } from '../services.js';

/** How long past the monitor's own timeout a region may take to answer (a cold start, the round trip) before it is unknown. */
export const REGION_ANSWER_MARGIN_MS = 4_000;

/**
 * One check of a monitor from each of its regions at once: home probed here, every other region
 * asked through the probes port, each answer (or its silence) one RegionOutcome, and the outcomes
 * decided by the quorum (src/domain/regions.ts) into the one result that is recorded. The quorum is
 * the confirmation: nothing is probed twice.
 *
 * A target the SSRF guard refuses here is never sent to any region: every region fails with the
 * guard's reason, as the probe there would have said.
 */
export async function checkFromRegions(
  svc: Services,
  monitor: CheckedMonitor,
  kind: MonitorKind,
  regions: readonly string[],
  quorum: number,
  opts: ProbeOptions & { deadlineMs?: number },
): Promise<ProbeResult> {
  const request = kind.probeRequest!(svc, monitor);
  // Credentials that cannot be opened fail the check the same everywhere: nothing to send.
  if (!isProbeRequest(request)) return request;
  const home = svc.config.regions.home;
  const refusal = await guardRefusal(request, opts);
  const deadlineMs = opts.deadlineMs ?? request.target.timeoutMs + REGION_ANSWER_MARGIN_MS;
  const ask = (region: string): Promise<RegionAnswer> => {
    if (refusal) return Promise.resolve({ answered: true, result: refusal });
    if (region === home) return runProbeRequest(request, opts).then((result) => ({ answered: true, result }));
    return svc.probes.probe(region, request, { deadlineMs }).catch(() => ({ answered: false, reason: 'probe failed' }));
  };
  const answers = await Promise.all(regions.map(ask));
  const outcomes = regions.map((region, i) => outcomeOf(region, answers[i]!));
  for (const o of outcomes) {
    // The region and why, never the request (it may carry the target's credentials).
    if (o.state === 'unknown') svc.log.warn('check.region_unanswered', { monitorId: monitor.id, region: o.region, reason: o.reason });
  }
  const verdict = decideRegions(outcomes, quorum);
  const byRegion = new Map(regions.map((r, i) => [r, answers[i]!] as const));
  const homeResult = answered(byRegion.get(home));
  // The figures shown beside the verdict: home's when it agrees with it, else the first region that does.
  const agreeing = outcomes.find((o) => (verdict.state === 'down' ? o.state === 'down' : o.state === 'up'));
  const shown = answered(byRegion.get(agreeing?.region ?? home)) ?? homeResult;
  return {
    ok: verdict.state !== 'down',
    statusCode: shown?.statusCode ?? null,
    responseTimeMs: shown?.responseTimeMs ?? 0,
    reason: verdict.reason,
    certExpiresAt: homeResult?.certExpiresAt ?? null,
    ...(verdict.state === 'degraded' ? { degraded: true } : {}),
    regions: outcomes,
  };
}

const answered = (a: RegionAnswer | undefined) => (a?.answered ? a.result : undefined);

function outcomeOf(region: string, a: RegionAnswer): RegionOutcome {
  if (!a.answered) return { region, state: 'unknown', statusCode: null, responseTimeMs: null, reason: a.reason };
  const r = a.result;
  return {
    region,
    state: r.ok ? 'up' : 'down',
    statusCode: r.statusCode,
    responseTimeMs: r.responseTimeMs,
    reason: r.reason,
    ...(r.degraded ? { slow: true } : {}),
  };
}

/** The guard's refusal of the target's host, as a failed result; null when it may be probed (a name that does not resolve here may elsewhere). */
async function guardRefusal(request: ProbeRequest, opts: ProbeOptions): Promise<ProbeResult | null> {
  const host = request.kind === 'tcp' ? request.target.host : hostOf(request.target.url);
  if (host === null) return { ok: false, statusCode: null, responseTimeMs: 0, reason: 'invalid url', certExpiresAt: null };
  const check = await checkHostAllowed(host, opts.allowPrivateTargets, { resolve: opts.resolve, isForbidden: opts.isForbidden });
  if (check.ok || check.reason === 'DNS lookup failed') return null;
  return { ok: false, statusCode: null, responseTimeMs: 0, reason: withPrivateTargetsHint(check.reason, opts.namesSettings ?? false), certExpiresAt: null };
}

function hostOf(url: string): string | null {
  try {
    const host = new URL(url).hostname;
    return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  } catch {
    return null;
  }
}
