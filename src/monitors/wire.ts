import * as z from 'zod';
import { checks, incidents, INCIDENT_CLOSURES, KEYWORD_MODES, MONITOR_KINDS, MONITOR_METHODS, type MonitorRow as StoredMonitor } from '../db/schema.js';
import { HIDDEN } from '../domain/hidden.js';
import { effectiveIntervalSeconds, limitsOf, type PlanName } from '../domain/plans.js';
import { quorumOf, type RegionOutcome } from '../domain/regions.js';
import { kindOf } from './kinds/index.js';
import type { KindWire } from './kinds/kind.js';
import type { MonitorRow, PartnerMonitorRow } from './reads.js';

/**
 * A monitor on the wire, in one place: the output schemas and the mappers from rows, for the SPA
 * (tRPC) and for partners (/api/v1, documented in openapi.json).
 */

/** What partners and the SPA see as a monitor's status. */
export const MONITOR_STATUSES = ['pending', 'up', 'down', 'degraded', 'paused', 'maintenance'] as const;
export type MonitorStatus = (typeof MONITOR_STATUSES)[number];

/** Paused wins over the checker's last verdict. */
export function statusOf(m: Pick<MonitorRow, 'paused' | 'status'>): MonitorStatus {
  return m.paused ? 'paused' : m.status;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What one region said at a check from several regions. */
export const regionOutcomeOutput = z
  .object({
    region: z.string(),
    state: z.enum(['up', 'down', 'unknown']).meta({ description: 'unknown: the region did not answer in time (never counted as down)' }),
    statusCode: z.number().int().nullable(),
    responseTimeMs: z.number().int().nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'RegionOutcome' });

const regionsOutput = z.array(z.string()).nullable();

/** The regions a monitor is checked from now when they are several (its plan's limit applied, home first); null for home alone. */
export function severalRegionsOf(regions: string[] | null, plan: PlanName): string[] | null {
  const inForce = regions ? regions.slice(0, limitsOf(plan).maxRegions) : null;
  return inForce && inForce.length > 1 ? inForce : null;
}

/**
 * A monitor's regions on the wire: the ones asked for (null: home only), those in force (the
 * plan's limit applied after a downgrade), the quorum in force, and what each said last.
 */
function regionsView(m: Pick<MonitorRow, 'regions' | 'failureQuorum' | 'lastRegions'>, plan: PlanName) {
  const effective = severalRegionsOf(m.regions, plan);
  return {
    regions: m.regions,
    effectiveRegions: effective,
    failureQuorum: m.failureQuorum,
    effectiveFailureQuorum: quorumOf(m.failureQuorum, effective?.length ?? 1),
    lastRegions: m.lastRegions ? m.lastRegions.map(outcomeView) : null,
  };
}

const outcomeView = (o: RegionOutcome) => ({ region: o.region, state: o.state, statusCode: o.statusCode, responseTimeMs: o.responseTimeMs, reason: o.reason });
const isoOrNull = z.iso.datetime().nullable();

/** A monitor's settings and current state as the SPA sees it. */
export const monitorOutput = z.object({
  id: z.string(),
  kind: z.enum(MONITOR_KINDS),
  name: z.string(),
  /** null for heartbeat monitors (they are pinged, not fetched). */
  url: z.string().nullable(),
  method: z.enum(MONITOR_METHODS),
  intervalSeconds: z.number().int(),
  /** The interval in force: never shorter than the account's plan allows (after a downgrade). */
  effectiveIntervalSeconds: z.number().int(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  /** For a role that may not edit the monitor, the names only, each value shown as "•••" (see requestHidden). */
  headers: z.record(z.string(), z.string()),
  /** For a role that may not edit the monitor, "•••" when there is one (see requestHidden). */
  body: z.string().nullable(),
  /** True when the header values and the body are hidden: they often carry API keys, and only editors see them. */
  requestHidden: z.boolean(),
  /** Never the credential itself. */
  auth: z.object({ type: z.enum(['basic', 'bearer']), set: z.literal(true) }).nullable(),
  keywordMode: z.enum(KEYWORD_MODES),
  keywordCaseSensitive: z.boolean(),
  degradedAboveMs: z.number().int().nullable(),
  tags: z.array(z.string()),
  graceSeconds: z.number().int().nullable(),
  lastPingAt: isoOrNull,
  /** Heartbeats: who made the current ping URL (and so knows it); null when none or revoked. */
  pingTokenCreatedBy: z.string().nullable(),
  timeoutMs: z.number().int(),
  expectedStatusCodes: z.string(),
  keyword: z.string().nullable(),
  paused: z.boolean(),
  status: z.enum(MONITOR_STATUSES),
  statusSince: isoOrNull,
  lastCheckedAt: isoOrNull,
  lastStatusCode: z.number().int().nullable(),
  lastResponseTimeMs: z.number().int().nullable(),
  lastReason: z.string().nullable(),
  certExpiresAt: isoOrNull,
  alertContactIds: z.array(z.string()),
  /** Alerts wait this long into an incident (0: at once). */
  alertAfterSeconds: z.number().int(),
  /** monitor.down is repeated this often while an incident stays open; null: never. */
  remindEverySeconds: z.number().int().nullable(),
  /** The regions asked for, home first; null: home only. */
  regions: regionsOutput,
  /** Those checked from now (the plan's limit applied); null: home only. */
  effectiveRegions: regionsOutput,
  /** Failing regions that make it down; null: a majority. */
  failureQuorum: z.number().int().nullable(),
  effectiveFailureQuorum: z.number().int(),
  /** What each region said at the last check from several regions; null after a check from home alone. */
  lastRegions: z.array(regionOutcomeOutput).nullable(),
  createdAt: z.iso.datetime(),
});
export type MonitorOutput = z.infer<typeof monitorOutput>;

/** The value shown for a field the monitor's kind does not have. */
const NOT_OF_KIND: KindWire = {
  url: null,
  host: null,
  port: null,
  headers: {},
  body: null,
  auth: null,
  keywordMode: 'present',
  keywordCaseSensitive: false,
  degradedAboveMs: null,
  graceSeconds: null,
  lastPingAt: null,
  pingTokenCreatedBy: null,
};

/** A monitor's settings as the APIs show them (never the credential): its kind's, over the neutral value of the others. */
export function settingsView(m: StoredMonitor) {
  return {
    kind: m.kind,
    method: m.method,
    timeoutMs: m.timeoutMs,
    expectedStatusCodes: m.expectedStatusCodes,
    keyword: m.keyword,
    ...NOT_OF_KIND,
    url: kindOf(m.kind).shownUrl(m),
    ...kindOf(m.kind).wire(m),
    requestHidden: false,
    tags: tagsOf(m),
  };
}

const tagsOf = (m: Pick<MonitorRow, 'tags'>) => JSON.parse(m.tags) as string[];

/**
 * A monitor's state as both the SPA and partners see it, from the columns partners' reads select
 * (reads.ts partnerMonitorColumns); `plan` gives the interval and the regions in force.
 */
function stateView(m: PartnerMonitorRow, plan: PlanName) {
  return {
    id: m.id,
    name: m.name,
    intervalSeconds: m.intervalSeconds,
    effectiveIntervalSeconds: effectiveIntervalSeconds(m.intervalSeconds, plan),
    status: statusOf(m),
    statusSince: iso(m.statusSince),
    lastCheckedAt: iso(m.lastCheckedAt),
    lastStatusCode: m.lastStatusCode,
    lastResponseTimeMs: m.lastResponseTimeMs,
    lastReason: m.lastReason,
    certExpiresAt: iso(m.certExpiresAt),
    alertAfterSeconds: m.alertAfterSeconds,
    remindEverySeconds: m.remindEverySeconds,
    ...regionsView(m, plan),
    createdAt: m.createdAt.toISOString(),
  };
}

/** `plan` gives the interval in force (effectiveIntervalSeconds). */
export function toMonitorOutput(m: MonitorRow, plan: PlanName): MonitorOutput {
  return { ...stateView(m, plan), paused: m.paused, alertContactIds: m.alertContactIds, ...settingsView(m) };
}

/**
 * A monitor as a member who may not edit it sees it: header names without their values, and no
 * body (the audit log hides the same). Only a role that may edit the request sees what it holds.
 */
export function withRequestHidden<T extends MonitorOutput>(o: T): T {
  return {
    ...o,
    headers: Object.fromEntries(Object.keys(o.headers).map((name) => [name, HIDDEN])),
    body: o.body === null ? null : HIDDEN,
    requestHidden: true,
  };
}

export const STATUS_DOC =
  'pending: not checked yet (UptimeRobot 1); up: the last check succeeded (UptimeRobot 2); ' +
  'down: two checks in a row failed (UptimeRobot 9); paused: not being checked (UptimeRobot 0); ' +
  'degraded: up, but slower than its degradedAboveMs; maintenance: inside a maintenance window (checked, no incident).';

const UPTIME_DOC =
  'SLA-true uptime in percent: 1 − downtime / period, the period excluding paused and maintenance time; null when nothing was observed';

/**
 * A monitor as partners see it. Internal-only fields (the keyword, which may hold a secret, the
 * expected status codes, the alert contacts, the request headers, body and credentials)
 * are left out.
 */
export const publicMonitor = z
  .object({
    id: z.string().meta({ example: 'mon_3k9x0c2m7q1w8e5r4t6y2u0i' }),
    name: z.string(),
    kind: z.enum(MONITOR_KINDS).meta({ description: 'http (a URL), tcp (host and port) or heartbeat (pinged by a job)' }),
    url: z.string().nullable().meta({ description: 'The checked URL (tcp://host:port for tcp); null for heartbeats' }),
    method: z.enum(MONITOR_METHODS),
    intervalSeconds: z.number().int().meta({ description: 'The interval asked for' }),
    effectiveIntervalSeconds: z.number().int().meta({ description: "The interval in force: never shorter than the account's plan allows" }),
    tags: z.array(z.string()),
    status: z.enum(MONITOR_STATUSES).meta({ description: STATUS_DOC }),
    statusSince: isoOrNull.meta({ description: 'When the monitor entered its current status' }),
    lastCheckedAt: isoOrNull,
    lastStatusCode: z.number().int().nullable(),
    lastResponseTimeMs: z.number().int().nullable(),
    lastReason: z.string().nullable().meta({ description: 'Why the last check failed, e.g. "HTTP 503"' }),
    certExpiresAt: isoOrNull.meta({ description: 'Expiry of the TLS certificate, for https monitors' }),
    alertAfterSeconds: z.number().int().meta({ description: 'Alerts wait this long into an incident; one that ends sooner alerts no one (0: at once)' }),
    remindEverySeconds: z.number().int().nullable().meta({ description: 'monitor.down is repeated this often while an incident stays open; null: never' }),
    regions: regionsOutput.meta({ description: 'Regions it is checked from in force, home first; null: the home region only' }),
    failureQuorum: z.number().int().meta({ description: 'How many regions must fail for it to be down (fewer: degraded, naming them)' }),
    lastRegions: z.array(regionOutcomeOutput).nullable().meta({ description: 'What each region said at the last check; null when checked from one region' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Monitor' });
export type PublicMonitor = z.infer<typeof publicMonitor>;

/**
 * Picks what partners may see, field by field, so a new internal field never leaks by default;
 * from the columns the public list selects (a whole MonitorRow will do too).
 */
export function toPublicMonitor(m: PartnerMonitorRow, plan: PlanName): PublicMonitor {
  const o = stateView(m, plan);
  return {
    id: o.id,
    name: o.name,
    kind: m.kind,
    url: kindOf(m.kind).shownUrl(m),
    method: m.method,
    intervalSeconds: o.intervalSeconds,
    effectiveIntervalSeconds: o.effectiveIntervalSeconds,
    tags: tagsOf(m),
    status: o.status,
    statusSince: o.statusSince,
    lastCheckedAt: o.lastCheckedAt,
    lastStatusCode: o.lastStatusCode,
    lastResponseTimeMs: o.lastResponseTimeMs,
    lastReason: o.lastReason,
    certExpiresAt: o.certExpiresAt,
    alertAfterSeconds: o.alertAfterSeconds,
    remindEverySeconds: o.remindEverySeconds,
    regions: o.effectiveRegions,
    failureQuorum: o.effectiveFailureQuorum,
    lastRegions: o.lastRegions,
    createdAt: o.createdAt,
  };
}

export const uptimeOutput = z.object({
  /**
   * SLA-true uptime in percent: 1 − downtime / period, where the period is the window
   * less paused, maintenance and not-yet-checked time. Null when none of the window was observed.
   */
  uptime24h: z.number().nullable(),
  uptime7d: z.number().nullable(),
  uptime30d: z.number().nullable(),
  uptime90d: z.number().nullable(),
  /** Mean response time of the successful checks of the last 24 h, in ms. */
  avgResponseTimeMs24h: z.number().int().nullable(),
});
export type Uptime = z.infer<typeof uptimeOutput>;

/** One monitor for partners, with the uptime windows they are offered. */
export const publicMonitorWithUptime = publicMonitor.extend({
  uptime24h: z.number().nullable().meta({ description: UPTIME_DOC }),
  uptime7d: z.number().nullable(),
  uptime30d: z.number().nullable(),
  uptime90d: z.number().nullable(),
  avgResponseTimeMs24h: z.number().int().nullable(),
});

export const checkOutput = z.object({
  checkedAt: z.iso.datetime(),
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  responseTimeMs: z.number().int().nullable(),
  reason: z.string().nullable(),
  /** A check from several regions: what each said; null for one region. */
  regions: z.array(regionOutcomeOutput).nullable(),
});
export type CheckOutput = z.infer<typeof checkOutput>;

export const toCheckOutput = (c: typeof checks.$inferSelect): CheckOutput => ({
  checkedAt: c.checkedAt.toISOString(),
  ok: c.ok,
  statusCode: c.statusCode,
  responseTimeMs: c.responseTimeMs,
  reason: c.reason,
  regions: c.regions ? c.regions.map(outcomeView) : null,
});

export const incidentOutput = z.object({
  id: z.string(),
  startedAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
  /** Seconds from start to resolution, or until now while it is still open. */
  durationSeconds: z.number().int(),
  reason: z.string(),
  open: z.boolean(),
  /** Why it closed: "recovered" (the target came back) or "paused" (the monitor was paused). */
  closedBy: z.enum(INCIDENT_CLOSURES).nullable(),
});
export type IncidentOutput = z.infer<typeof incidentOutput>;

export const toIncidentOutput = (i: typeof incidents.$inferSelect, now: number): IncidentOutput => ({
  id: i.id,
  startedAt: i.startedAt.toISOString(),
  resolvedAt: i.resolvedAt?.toISOString() ?? null,
  durationSeconds: Math.max(0, Math.round(((i.resolvedAt?.getTime() ?? now) - i.startedAt.getTime()) / 1000)),
  reason: i.reason,
  open: i.resolvedAt === null,
  closedBy: i.closedBy,
});
