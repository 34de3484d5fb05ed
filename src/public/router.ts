import { z } from 'zod';
import type { PlanName } from '../db/schema.js';
import { effectiveIntervalSeconds } from '../domain/plans.js';
import { maintenanceOutput } from '../maintenance/schemas.js';
import { listWindows, toMaintenanceOutput } from '../maintenance/service.js';
import { checkOutput, incidentOutput, listChecks, listIncidents, uptimeOf } from '../monitors/history.js';
import { MONITOR_STATUSES, monitorId } from '../monitors/schemas.js';
import { getMonitor, listMonitors, statusOf, type MonitorRow } from '../monitors/service.js';
import { settingsView } from '../monitors/settings.js';
import { partnerProcedure, router } from '../trpc.js';

const STATUS_DOC =
  'pending: not checked yet (UptimeRobot 1); up: the last check succeeded (UptimeRobot 2); ' +
  'down: two checks in a row failed (UptimeRobot 9); paused: not being checked (UptimeRobot 0); ' +
  'degraded: up, but slower than its degradedAboveMs; maintenance: inside a maintenance window (checked, no incident).';

const iso = z.iso.datetime().nullable();

const UPTIME_DOC =
  'SLA-true uptime in percent: 1 − downtime / period, the period excluding paused and maintenance time; null when nothing was observed';

/**
 * A monitor as partners see it. Internal-only fields (the keyword, which may hold a secret, and the
 * expected status codes) are left out.
 */
export const publicMonitor = z
  .object({
    id: z.string().meta({ example: 'mon_3k9x0c2m7q1w8e5r4t6y2u0i' }),
    name: z.string(),
    kind: z.enum(['http', 'tcp', 'heartbeat']).meta({ description: 'http (a URL), tcp (host and port) or heartbeat (pinged by a job)' }),
    url: z.string().nullable().meta({ description: 'The checked URL (tcp://host:port for tcp); null for heartbeats' }),
    method: z.enum(['GET', 'HEAD', 'POST']),
    intervalSeconds: z.number().int().meta({ description: 'The interval asked for' }),
    effectiveIntervalSeconds: z.number().int().meta({ description: "The interval in force: never shorter than the account's plan allows" }),
    tags: z.array(z.string()),
    status: z.enum(MONITOR_STATUSES).meta({ description: STATUS_DOC }),
    statusSince: iso.meta({ description: 'When the monitor entered its current status' }),
    lastCheckedAt: iso,
    lastStatusCode: z.number().int().nullable(),
    lastResponseTimeMs: z.number().int().nullable(),
    lastReason: z.string().nullable().meta({ description: 'Why the last check failed, e.g. "HTTP 503"' }),
    certExpiresAt: iso.meta({ description: 'Expiry of the TLS certificate, for https monitors' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Monitor' });

const toPublic = (m: MonitorRow, plan: PlanName): z.infer<typeof publicMonitor> => ({
  id: m.id,
  name: m.name,
  kind: m.kind,
  ...pick(settingsView(m), 'url', 'tags'),
  method: m.method,
  intervalSeconds: m.intervalSeconds,
  effectiveIntervalSeconds: effectiveIntervalSeconds(m.intervalSeconds, plan),
  status: statusOf(m),
  statusSince: m.statusSince?.toISOString() ?? null,
  lastCheckedAt: m.lastCheckedAt?.toISOString() ?? null,
  lastStatusCode: m.lastStatusCode,
  lastResponseTimeMs: m.lastResponseTimeMs,
  lastReason: m.lastReason,
  certExpiresAt: m.certExpiresAt?.toISOString() ?? null,
  createdAt: m.createdAt.toISOString(),
});

const pick = <T extends object, K extends keyof T>(o: T, ...keys: K[]) =>
  Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;

const page = {
  limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: 'Page size, at most 100' }),
  cursor: z.string().max(200).optional().meta({ description: 'nextCursor of the previous page' }),
};
const pathId = { id: monitorId.meta({ description: 'Monitor id' }) };
const read = partnerProcedure('monitors:read');
const tags = ['monitors'];

/** The partners' read-only REST API, served under /api/v1 by trpc-to-openapi. */
export const publicRouter = router({
  listMonitors: read
    .meta({
      openapi: {
        method: 'GET',
        path: '/monitors',
        tags,
        summary: 'List monitors',
        description: `The account's monitors with their current status, oldest first. ${STATUS_DOC}`,
      },
    })
    .input(
      z.object({
        ...page,
        status: z.enum(MONITOR_STATUSES).optional().meta({ description: 'Only monitors in this status' }),
        tag: z.string().trim().min(1).max(32).optional().meta({ description: 'Only monitors with this tag' }),
        search: z.string().trim().min(1).max(100).optional().meta({ description: 'Only monitors whose name or URL contains this' }),
      }),
    )
    .output(z.object({ data: z.array(publicMonitor), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const { items, nextCursor } = await listMonitors(ctx.svc, ctx.partner.accountId, input);
      return { data: items.map((m) => toPublic(m, ctx.partner.plan)), nextCursor };
    }),

  getMonitor: read
    .meta({
      openapi: { method: 'GET', path: '/monitors/{id}', tags, summary: 'Get a monitor with its uptime' },
    })
    .input(z.object(pathId))
    .output(
      publicMonitor.extend({
        uptime24h: z.number().nullable().meta({ description: UPTIME_DOC }),
        uptime7d: z.number().nullable(),
        uptime30d: z.number().nullable(),
        uptime90d: z.number().nullable(),
        avgResponseTimeMs24h: z.number().int().nullable(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const m = await getMonitor(ctx.svc, ctx.partner.accountId, input.id);
      const { uptime24h, uptime7d, uptime30d, uptime90d, avgResponseTimeMs24h } = await uptimeOf(ctx.svc, m.id);
      return { ...toPublic(m, ctx.partner.plan), uptime24h, uptime7d, uptime30d, uptime90d, avgResponseTimeMs24h };
    }),

  listChecks: read
    .meta({
      openapi: { method: 'GET', path: '/monitors/{id}/checks', tags, summary: 'Recent checks, newest first' },
    })
    .input(z.object({ ...pathId, ...page }))
    .output(z.object({ data: z.array(checkOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const m = await getMonitor(ctx.svc, ctx.partner.accountId, input.id);
      const { items, nextCursor } = await listChecks(ctx.svc, m.id, input);
      return { data: items, nextCursor };
    }),

  listIncidents: read
    .meta({
      openapi: { method: 'GET', path: '/monitors/{id}/incidents', tags, summary: 'Incidents, newest first' },
    })
    .input(z.object({ ...pathId, ...page }))
    .output(z.object({ data: z.array(incidentOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const m = await getMonitor(ctx.svc, ctx.partner.accountId, input.id);
      const { items, nextCursor } = await listIncidents(ctx.svc, m.id, input);
      return { data: items, nextCursor };
    }),

  /** issue 18: maintenance windows, so partners know why a monitor shows `maintenance`. */
  listMaintenance: read
    .meta({
      openapi: { method: 'GET', path: '/maintenance', tags: ['maintenance'], summary: 'Maintenance windows, oldest first' },
    })
    .input(z.object({ ...page, monitorId: monitorId.optional().meta({ description: 'Only windows covering this monitor' }) }))
    .output(z.object({ data: z.array(maintenanceOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const { items, nextCursor } = await listWindows(ctx.svc, ctx.partner.accountId, input);
      return { data: items.map((w) => toMaintenanceOutput(w, ctx.svc.now())), nextCursor };
    }),
});

export type PublicRouter = typeof publicRouter;
