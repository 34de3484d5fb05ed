import * as z from 'zod';
import { maintenanceOutput } from '../maintenance/schemas.js';
import { listWindows, toMaintenanceOutput } from '../maintenance/service.js';
import { listChecks, listIncidents, uptimeOf } from '../monitors/history.js';
import { getMonitor, listMonitors } from '../monitors/reads.js';
import { monitorId } from '../monitors/schemas.js';
import { checkOutput, incidentOutput, MONITOR_STATUSES, publicMonitor, publicMonitorWithUptime, STATUS_DOC, toPublicMonitor } from '../monitors/wire.js';
import { partnerProcedure, router } from '../trpc.js';

const page = {
  limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: 'Page size, at most 100' }),
  cursor: z.string().max(200).optional().meta({ description: 'nextCursor of the previous page' }),
};
const pathId = { id: monitorId.meta({ description: 'Monitor id' }) };
const read = partnerProcedure('monitors:read');
const tags = ['monitors'];

/** The partners' read-only REST API, served under /api/v1 by rest-adapter.ts and documented by trpc-to-openapi. */
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
      const { items, nextCursor } = await listMonitors(ctx.svc, ctx.account.id, input);
      return { data: items.map((m) => toPublicMonitor(m, ctx.account.plan)), nextCursor };
    }),

  getMonitor: read
    .meta({
      openapi: { method: 'GET', path: '/monitors/{id}', tags, summary: 'Get a monitor with its uptime' },
    })
    .input(z.object(pathId))
    .output(publicMonitorWithUptime)
    .query(async ({ ctx, input }) => {
      const m = await getMonitor(ctx.svc, ctx.account.id, input.id);
      const { uptime24h, uptime7d, uptime30d, uptime90d, avgResponseTimeMs24h } = await uptimeOf(ctx.svc, m.id);
      return { ...toPublicMonitor(m, ctx.account.plan), uptime24h, uptime7d, uptime30d, uptime90d, avgResponseTimeMs24h };
    }),

  listChecks: read
    .meta({
      openapi: { method: 'GET', path: '/monitors/{id}/checks', tags, summary: 'Recent checks, newest first' },
    })
    .input(z.object({ ...pathId, ...page }))
    .output(z.object({ data: z.array(checkOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const m = await getMonitor(ctx.svc, ctx.account.id, input.id);
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
      const m = await getMonitor(ctx.svc, ctx.account.id, input.id);
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
      const { items, nextCursor } = await listWindows(ctx.svc, ctx.account.id, input);
      return { data: items.map((w) => toMaintenanceOutput(w, ctx.svc.now())), nextCursor };
    }),
});

export type PublicRouter = typeof publicRouter;
