import * as z from 'zod';
import { maintenanceOutput } from '../maintenance/schemas.js';
import { listWindowsPlan, toMaintenanceOutput } from '../maintenance/service.js';
import { listChecksPlan, listIncidentsPlan, monitorAnd, monitorWithUptimePlan } from '../monitors/history.js';
import { listPartnerMonitorsPlan } from '../monitors/reads.js';
import { monitorId } from '../monitors/schemas.js';
import { checkOutput, incidentOutput, MONITOR_STATUSES, publicMonitor, publicMonitorWithUptime, STATUS_DOC, toPublicMonitor } from '../monitors/wire.js';
import { pageOutput, pageQuery } from '../domain/page.js';
import { cursorsOf, partnerProcedure, router } from '../trpc.js';


/**
 * A page as both doors answer it, `{ items, nextCursor }`, plus `data`, the same list under the name
 * this API answered with first: deprecated, kept until v2 (docs/adr/0011-one-page-shape.md).
 */
const publicPage = <T extends z.ZodType>(item: T) =>
  pageOutput(item).extend({
    data: z.array(item).meta({ deprecated: true, description: 'Deprecated: the same list as `items`, kept until v2. Read `items`.' }),
  });

/** The page with its cursor sealed for this list, answered under both names. */
function answer<P extends { items: unknown[]; nextCursor: string | null }>(sealed: P): P & { data: P['items'] } {
  return { ...sealed, data: sealed.items };
}
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
      z.strictObject({
        ...pageQuery,
        status: z.enum(MONITOR_STATUSES).optional().meta({ description: 'Only monitors in this status' }),
        tag: z.string().trim().min(1).max(32).optional().meta({ description: 'Only monitors with this tag' }),
        search: z.string().trim().min(1).max(100).optional().meta({ description: 'Only monitors whose name or URL contains this' }),
      }),
    )
    .output(publicPage(publicMonitor))
    .query(async ({ ctx, input, path }) => {
      const cursors = cursorsOf(ctx, path, input);
      const { account, value } = await ctx.read((accountId) => listPartnerMonitorsPlan(ctx.svc, accountId, cursors.query(accountId)));
      return answer(cursors.page(account.id, { items: value.items.map((m) => toPublicMonitor(m, account.plan)), nextCursor: value.nextCursor }));
    }),

  getMonitor: read
    .meta({
      openapi: { method: 'GET', path: '/monitors/{id}', tags, summary: 'Get a monitor with its uptime' },
    })
    .input(z.strictObject(pathId))
    .output(publicMonitorWithUptime)
    .query(async ({ ctx, input }) => {
      const { account, value } = await ctx.read((accountId) => monitorWithUptimePlan(ctx.svc, accountId, input.id));
      const { uptime24h, uptime7d, uptime30d, uptime90d, avgResponseTimeMs24h } = value.uptime;
      return { ...toPublicMonitor(value.monitor, account.plan), uptime24h, uptime7d, uptime30d, uptime90d, avgResponseTimeMs24h };
    }),

  listChecks: read
    .meta({
      openapi: { method: 'GET', path: '/monitors/{id}/checks', tags, summary: 'Recent checks, newest first' },
    })
    .input(z.strictObject({ ...pathId, ...pageQuery }))
    .output(publicPage(checkOutput))
    .query(async ({ ctx, input, path }) => {
      const cursors = cursorsOf(ctx, path, input);
      const { account, value } = await ctx.read((accountId) => monitorAnd(ctx.svc, accountId, input.id, (id) => listChecksPlan(ctx.svc, id, cursors.query(accountId))));
      return answer(cursors.page(account.id, value));
    }),

  listIncidents: read
    .meta({
      openapi: { method: 'GET', path: '/monitors/{id}/incidents', tags, summary: 'Incidents, newest first' },
    })
    .input(z.strictObject({ ...pathId, ...pageQuery }))
    .output(publicPage(incidentOutput))
    .query(async ({ ctx, input, path }) => {
      const cursors = cursorsOf(ctx, path, input);
      const { account, value } = await ctx.read((accountId) => monitorAnd(ctx.svc, accountId, input.id, (id) => listIncidentsPlan(ctx.svc, id, cursors.query(accountId))));
      return answer(cursors.page(account.id, value));
    }),

  /** Maintenance windows, so partners know why a monitor shows `maintenance`. */
  listMaintenance: read
    .meta({
      openapi: { method: 'GET', path: '/maintenance', tags: ['maintenance'], summary: 'Maintenance windows, oldest first' },
    })
    .input(z.strictObject({ ...pageQuery, monitorId: monitorId.optional().meta({ description: 'Only windows covering this monitor' }) }))
    .output(publicPage(maintenanceOutput))
    .query(async ({ ctx, input, path }) => {
      const cursors = cursorsOf(ctx, path, input);
      const { account, value } = await ctx.read((accountId) => listWindowsPlan(ctx.svc, accountId, cursors.query(accountId)));
      return answer(cursors.page(account.id, { items: value.items.map((w) => toMaintenanceOutput(w, ctx.svc.now())), nextCursor: value.nextCursor }));
    }),
});

export type PublicRouter = typeof publicRouter;
