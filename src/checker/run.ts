import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { accounts, monitors } from '../db/schema.js';
import type { PlanName } from '../domain/plans.js';
import { quorumOf, regionsInForce } from '../domain/regions.js';
import type { Services } from '../services.js';
import { coveringWindows, inMaintenance } from '../maintenance/service.js';
import { kindOf } from '../monitors/kinds/index.js';
import type { ProbeResult } from '../probes/result.js';
import { recordCheck, type Verdict } from './record.js';
import { checkFromRegions } from './regions.js';

export type CheckOptions = {
  /** Pause before the confirmation re-check of a failure. */
  confirmDelayMs?: number;
  /**
   * When this check was scheduled (ms). A check that starts more than its monitor's interval after
   * that is dropped: the next one is already due, and its result would be recorded as on time.
   */
  dueAt?: number;
  /** How long another region may take to answer before it is unknown (default: the monitor's timeout and a margin). */
  regionDeadlineMs?: number;
};

export const DEFAULT_CONFIRM_DELAY_MS = 3_000;

export type CheckOutcome =
  | { kind: 'checked'; result: ProbeResult; verdict: Verdict; confirmed: boolean }
  | { kind: 'skipped'; reason: 'paused' | 'waiting-for-ping' }
  | { kind: 'late'; lateMs: number }
  | { kind: 'gone' };

/**
 * The one read of a check, prepared once per database: the columns the probe and the record need
 * (not the monitor's name, lease or API-only fields) and, in the same statement, the maintenance
 * windows that cover the monitor.
 */
function buildRead(db: Db) {
  return db
    .select(checkColumns())
    .from(monitors)
    .where(eq(monitors.id, sql.placeholder('id')))
    .prepare();
}

/** The columns a check reads of its monitor (a fan-out tick reads the same of a whole shard). */
export function checkColumns() {
  const m = monitors;
  return {
    id: m.id, paused: m.paused, kind: m.kind, status: m.status, statusSince: m.statusSince, accruedUntil: m.accruedUntil,
    createdAt: m.createdAt, url: m.url, method: m.method, timeoutMs: m.timeoutMs, expectedStatusCodes: m.expectedStatusCodes,
    keyword: m.keyword, keywordMode: m.keywordMode, keywordCaseSensitive: m.keywordCaseSensitive, requestHeaders: m.requestHeaders,
    requestBody: m.requestBody, authSealed: m.authSealed, degradedAboveMs: m.degradedAboveMs, intervalSeconds: m.intervalSeconds,
    graceSeconds: m.graceSeconds, lastPingAt: m.lastPingAt, lastPingOk: m.lastPingOk,
    regions: m.regions, failureQuorum: m.failureQuorum,
    plan: sql<PlanName>`(SELECT ${accounts.plan} FROM ${accounts} WHERE ${accounts.id} = ${m.accountId})`,
    windows: coveringWindows(),
  };
}

/** A monitor as a check reads it. */
export type CheckedMonitor = NonNullable<Awaited<ReturnType<typeof readForCheck>>>;

const reads = new WeakMap<Db, ReturnType<typeof buildRead>>();

/** A monitor as a check reads it, with the maintenance windows covering it (JSON); undefined when it is gone. */
export function readForCheck(db: Db, monitorId: string) {
  const read = reads.get(db) ?? reads.set(db, buildRead(db)).get(db)!;
  return read.get({ id: monitorId });
}

/**
 * Checks one monitor: the body of the checker Lambda and of the local scheduler's timers.
 * One read, one or two probes, one batched write.
 */
export async function runCheck(svc: Services, monitorId: string, opts: CheckOptions = {}): Promise<CheckOutcome> {
  const monitor = await readForCheck(svc.db, monitorId);
  if (!monitor) {
    // Self-healing: a schedule that outlived its monitor removes itself.
    await svc.scheduler.remove(monitorId);
    svc.log.info('check.monitor_gone', { monitorId });
    return { kind: 'gone' };
  }
  if (monitor.paused) return { kind: 'skipped', reason: 'paused' };
  const lateMs = opts.dueAt === undefined ? 0 : svc.now() - opts.dueAt;
  if (lateMs > monitor.intervalSeconds * 1000) {
    // Counted by the log line (a metric filter on AWS, deploy/resources.yml): the late runs a
    // throttle or an outage left in the queue.
    svc.log.warn('check.late_dropped', { monitorId, lateMs, intervalSeconds: monitor.intervalSeconds });
    return { kind: 'late', lateMs };
  }

  const first = await firstProbe(svc, monitor, opts);
  if (!first) return { kind: 'skipped', reason: 'waiting-for-ping' };
  let result = first.result;
  let confirmed = false;
  if (first.confirm) {
    result = await confirmProbe(svc, monitor, first, opts.confirmDelayMs);
    confirmed = true;
  }
  // Guarded: a heartbeat's ping, a pause or an edit that changed the monitor meanwhile wins.
  const verdict = await recordCheck(svc, monitor, result, svc.now(), first.firstAt, { maintenance: first.maintenance, guarded: true });
  svc.log.info('check.done', {
    monitorId,
    status: verdict.status,
    changed: verdict.changed,
    ...(verdict.stale ? { stale: true } : {}),
    statusCode: result.statusCode,
    responseTimeMs: result.responseTimeMs,
    reason: result.reason,
  });
  return { kind: 'checked', result, verdict, confirmed };
}

/** A check's first probe: its result, when it started, whether a maintenance window covers it, and whether its failure needs confirming. */
export type FirstProbe = { result: ProbeResult; firstAt: number; maintenance: boolean; confirm: boolean };

/** Probes the monitor once by its kind (from each of its regions in force); null when there is nothing to record yet (a heartbeat waiting for its ping). */
export async function firstProbe(svc: Services, monitor: CheckedMonitor, opts: Pick<CheckOptions, 'regionDeadlineMs'> = {}): Promise<FirstProbe | null> {
  const probeOpts = probeOptions(svc);
  const firstAt = svc.now();
  // Inside a maintenance window the check runs and is recorded, but opens no incident.
  const maintenance = inMaintenance(monitor.windows, firstAt);
  const kind = kindOf(monitor.kind);
  // The plan read with the monitor decides how many regions, so a downgrade (or one racing an edit) holds at once.
  const regions = kind.probeRequest ? regionsInForce(monitor.regions, svc.config.regions.all, monitor.plan) : [];
  const fromRegions = regions.length > 1;
  const result = fromRegions
    ? await checkFromRegions(svc, monitor, kind, regions, quorumOf(monitor.failureQuorum, regions.length), { ...probeOpts, deadlineMs: opts.regionDeadlineMs })
    : await kind.check(svc, monitor, probeOpts);
  if (!result) return null;
  // One failure is not an outage: confirm it before alarming anyone (a monitor already down needs no
  // confirming, nor does a kind whose failure a second look cannot change, nor a check in
  // maintenance, which alarms no one). From several regions the quorum was the confirmation.
  const confirm = !result.ok && monitor.status !== 'down' && kind.confirmsFailures && !maintenance && !fromRegions;
  return { result, firstAt, maintenance, confirm };
}

/** The confirmation of a first failure: a second probe after the delay; its result is the check's. */
export async function confirmProbe(svc: Services, monitor: CheckedMonitor, first: FirstProbe, delayMs = DEFAULT_CONFIRM_DELAY_MS): Promise<ProbeResult> {
  await new Promise((r) => setTimeout(r, delayMs));
  return (await kindOf(monitor.kind).check(svc, monitor, probeOptions(svc))) ?? first.result;
}

const probeOptions = (svc: Services) => ({ allowPrivateTargets: svc.config.allowPrivateTargets, namesSettings: svc.config.namesSettings });
