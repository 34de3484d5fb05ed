import { z } from 'zod';
import { checks, incidents, MONITOR_METHODS } from '../db/schema.js';
import type { MonitorRow } from './reads.js';

/**
 * A monitor on the wire, in one place: the output schemas and the mappers from rows, for the SPA
 * (tRPC) and for partners (/api/v1, documented in openapi.json).
 */

/** What partners and the SPA see as a monitor's status. */
export const MONITOR_STATUSES = ['pending', 'up', 'down', 'paused'] as const;
export type MonitorStatus = (typeof MONITOR_STATUSES)[number];

/** Paused wins over the checker's last verdict. */
export function statusOf(m: Pick<MonitorRow, 'paused' | 'status'>): MonitorStatus {
  return m.paused ? 'paused' : m.status;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const isoOrNull = z.iso.datetime().nullable();

/** A monitor's settings and current state as the SPA sees it. */
export const monitorOutput = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  method: z.enum(MONITOR_METHODS),
  intervalSeconds: z.number().int(),
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
  createdAt: z.iso.datetime(),
});
export type MonitorOutput = z.infer<typeof monitorOutput>;

export function toMonitorOutput(m: MonitorRow): MonitorOutput {
  return {
    id: m.id,
    name: m.name,
    url: m.url,
    method: m.method,
    intervalSeconds: m.intervalSeconds,
    timeoutMs: m.timeoutMs,
    expectedStatusCodes: m.expectedStatusCodes,
    keyword: m.keyword,
    paused: m.paused,
    status: statusOf(m),
    statusSince: iso(m.statusSince),
    lastCheckedAt: iso(m.lastCheckedAt),
    lastStatusCode: m.lastStatusCode,
    lastResponseTimeMs: m.lastResponseTimeMs,
    lastReason: m.lastReason,
    certExpiresAt: iso(m.certExpiresAt),
    alertContactIds: m.alertContactIds,
    createdAt: m.createdAt.toISOString(),
  };
}

export const STATUS_DOC =
  'pending: not checked yet (UptimeRobot 1); up: the last check succeeded (UptimeRobot 2); ' +
  'down: two checks in a row failed (UptimeRobot 9); paused: not being checked (UptimeRobot 0).';

/**
 * A monitor as partners see it. Internal-only fields (the keyword, which may hold a secret, the
 * expected status codes and the alert contacts) are left out.
 */
export const publicMonitor = z
  .object({
    id: z.string().meta({ example: 'mon_3k9x0c2m7q1w8e5r4t6y2u0i' }),
    name: z.string(),
    url: z.string(),
    method: z.enum(MONITOR_METHODS),
    intervalSeconds: z.number().int(),
    status: z.enum(MONITOR_STATUSES).meta({ description: STATUS_DOC }),
    statusSince: isoOrNull.meta({ description: 'When the monitor entered its current status' }),
    lastCheckedAt: isoOrNull,
    lastStatusCode: z.number().int().nullable(),
    lastResponseTimeMs: z.number().int().nullable(),
    lastReason: z.string().nullable().meta({ description: 'Why the last check failed, e.g. "HTTP 503"' }),
    certExpiresAt: isoOrNull.meta({ description: 'Expiry of the TLS certificate, for https monitors' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Monitor' });
export type PublicMonitor = z.infer<typeof publicMonitor>;

export function toPublicMonitor(m: MonitorRow): PublicMonitor {
  const { timeoutMs: _t, expectedStatusCodes: _e, keyword: _k, paused: _p, alertContactIds: _a, ...shared } = toMonitorOutput(m);
  return shared;
}

export const uptimeOutput = z.object({
  /** Percent of successful checks, null when there were none in the window. */
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
  uptime24h: z.number().nullable().meta({ description: 'Percent of successful checks, null without checks' }),
  uptime7d: z.number().nullable(),
  uptime30d: z.number().nullable(),
  avgResponseTimeMs24h: z.number().int().nullable(),
});

export const checkOutput = z.object({
  checkedAt: z.iso.datetime(),
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  responseTimeMs: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export type CheckOutput = z.infer<typeof checkOutput>;

export const toCheckOutput = (c: typeof checks.$inferSelect): CheckOutput => ({
  checkedAt: c.checkedAt.toISOString(),
  ok: c.ok,
  statusCode: c.statusCode,
  responseTimeMs: c.responseTimeMs,
  reason: c.reason,
});

export const incidentOutput = z.object({
  id: z.string(),
  startedAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
  /** Seconds from start to resolution, or until now while it is still open. */
  durationSeconds: z.number().int(),
  reason: z.string(),
  open: z.boolean(),
});
export type IncidentOutput = z.infer<typeof incidentOutput>;

export const toIncidentOutput = (i: typeof incidents.$inferSelect, now: number): IncidentOutput => ({
  id: i.id,
  startedAt: i.startedAt.toISOString(),
  resolvedAt: i.resolvedAt?.toISOString() ?? null,
  durationSeconds: Math.max(0, Math.round(((i.resolvedAt?.getTime() ?? now) - i.startedAt.getTime()) / 1000)),
  reason: i.reason,
  open: i.resolvedAt === null,
});
