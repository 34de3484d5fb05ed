import { eq } from 'drizzle-orm';
import { monitors } from '../db/schema.js';
import type { Services } from '../services.js';
import { probe, type ProbeResult } from './probe.js';
import { recordCheck, type Verdict } from './record.js';

export type CheckOptions = {
  /** Pause before the confirmation re-check of a failure. */
  confirmDelayMs?: number;
};

export const DEFAULT_CONFIRM_DELAY_MS = 3_000;

export type CheckOutcome =
  | { kind: 'checked'; result: ProbeResult; verdict: Verdict; confirmed: boolean }
  | { kind: 'skipped'; reason: 'paused' }
  | { kind: 'gone' };

/**
 * Checks one monitor: the body of the checker Lambda and of the local scheduler's timers.
 * One read, one or two probes, one batched write.
 */
export async function runCheck(svc: Services, monitorId: string, opts: CheckOptions = {}): Promise<CheckOutcome> {
  const monitor = await svc.db.query.monitors.findFirst({ where: eq(monitors.id, monitorId) });
  if (!monitor) {
    // Self-healing: a schedule that outlived its monitor removes itself.
    await svc.scheduler.remove(monitorId);
    svc.log.info('check.monitor_gone', { monitorId });
    return { kind: 'gone' };
  }
  if (monitor.paused) return { kind: 'skipped', reason: 'paused' };

  const target = {
    url: monitor.url,
    method: monitor.method,
    timeoutMs: monitor.timeoutMs,
    expectedStatusCodes: monitor.expectedStatusCodes,
    keyword: monitor.keyword,
  };
  const probeOpts = { allowPrivateTargets: svc.config.allowPrivateTargets };
  const firstAt = svc.now();
  let result = await probe(target, probeOpts);
  let confirmed = false;
  // One failure is not an outage: confirm it before alarming anyone (a monitor already down needs no confirming).
  if (!result.ok && monitor.status !== 'down') {
    await new Promise((r) => setTimeout(r, opts.confirmDelayMs ?? DEFAULT_CONFIRM_DELAY_MS));
    result = await probe(target, probeOpts);
    confirmed = true;
  }
  const verdict = await recordCheck(svc, monitor, result, svc.now(), firstAt);
  svc.log.info('check.done', {
    monitorId,
    status: verdict.status,
    changed: verdict.changed,
    statusCode: result.statusCode,
    responseTimeMs: result.responseTimeMs,
    reason: result.reason,
  });
  return { kind: 'checked', result, verdict, confirmed };
}
