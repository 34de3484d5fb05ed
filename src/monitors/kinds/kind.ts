import type * as z from 'zod';
import type { MonitorRow, monitors } from '../../db/schema.js';
import type { ProbeRequest } from '../../probes/request.js';
import type { ProbeOptions, ProbeResult } from '../../probes/result.js';
import type { Services } from '../../services.js';

/**
 * What a monitor kind is: one module (./http.ts, ./tcp.ts, ./heartbeat.ts) that owns everything
 * the kind means, listed once in the table of kinds (./index.ts). Its input schema is beside it in
 * ./<kind>.input.ts, apart only because the app's forms import schemas and must not load Node.
 */

export type KindName = MonitorRow['kind'];
export type Columns = Partial<typeof monitors.$inferInsert>;

/** A kind's own settings, each optional: a create gives all of them (defaults applied), an update the ones it changes. */
export type SettingsOf<F extends Record<string, z.ZodType>> = { [K in keyof F]?: z.output<F[K]> };

/** What a check reads of its monitor (src/checker/run.ts selects these columns). */
export type CheckedMonitor = Pick<
  MonitorRow,
  | 'id' | 'kind' | 'url' | 'method' | 'timeoutMs' | 'expectedStatusCodes' | 'keyword' | 'keywordMode' | 'keywordCaseSensitive'
  | 'requestHeaders' | 'requestBody' | 'authSealed' | 'degradedAboveMs'
  | 'intervalSeconds' | 'graceSeconds' | 'lastPingAt' | 'lastPingOk' | 'statusSince' | 'createdAt'
>;

/** The wire fields that differ by kind (src/monitors/wire.ts shows the neutral value of those a kind does not have). */
export type KindWire = {
  url: string | null;
  host: string | null;
  port: number | null;
  headers: Record<string, string>;
  body: string | null;
  auth: { type: 'basic' | 'bearer'; set: true } | null;
  keywordMode: MonitorRow['keywordMode'];
  keywordCaseSensitive: boolean;
  degradedAboveMs: number | null;
  graceSeconds: number | null;
  lastPingAt: string | null;
  pingTokenCreatedBy: string | null;
};

/** The columns a kind's settings make, and what the write produced beside them. */
export type Written = {
  columns: Columns;
  /** A heartbeat's new ping token: only its hash is stored; shown once. */
  pingToken?: string;
  /** The URL moved to another origin and its credentials were dropped (the app asks for them again). */
  credentialsCleared?: boolean;
};

export type MonitorKind<S = Record<string, unknown>> = {
  readonly name: KindName;
  /** The kind's own fields: an edit naming any other field of a kind is refused, naming it. */
  readonly fields: readonly string[];
  /** Of those, the ones whose change makes the last verdict stale: an edit to one triggers a check. */
  readonly checkAffecting: readonly string[];
  /** Whether a failure is probed a second time before it counts (a heartbeat's lateness needs no second look). */
  readonly confirmsFailures: boolean;
  /** Why "check now" has nothing to run for this kind (a heartbeat is checked by its pings); null when it can be probed on demand. */
  readonly notCheckableNow: string | null;
  /**
   * Settings to columns, after the kind's rules on them (the SSRF guard on a target, each refusal
   * naming its field): on create (`before` null) all of them, on update the ones given. `by` is
   * the actor making the change.
   */
  write(svc: Services, settings: S, monitor: { id: string; before: MonitorRow | null; by: string }): Promise<Written>;
  /** The monitor's `url` as the APIs show it: its target, or null for a kind that is not fetched (a heartbeat stores none). */
  shownUrl(row: Pick<MonitorRow, 'url'>): string | null;
  /** The row's other kind-specific fields as the APIs show them (never a credential). */
  wire(row: MonitorRow): Partial<Omit<KindWire, 'url'>>;
  /** One check; null when there is nothing to record yet. */
  check(svc: Services, m: CheckedMonitor, opts: ProbeOptions): Promise<ProbeResult | null>;
  /**
   * A kind that probes a target: the probe as data, for the probes in other regions (credentials
   * opened, so the probe needs no secret), or the failed result when it cannot be built. A kind
   * without it (heartbeat) is checked from home only.
   */
  probeRequest?(svc: Services, m: CheckedMonitor): ProbeRequest | ProbeResult;
};

/** Whether a kind's probeRequest gave a request (else the result of a probe that could not be built). */
export function isProbeRequest(r: ProbeRequest | ProbeResult): r is ProbeRequest {
  return 'kind' in r;
}

/** The settings among `keys` that are given, copied as they are to the columns of the same name. */
export function copied<S extends object, K extends keyof S & keyof Columns>(settings: S, keys: readonly K[]): Columns {
  return Object.fromEntries(keys.filter((k) => settings[k] !== undefined).map((k) => [k, settings[k]])) as Columns;
}
