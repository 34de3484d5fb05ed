import { z } from 'zod';
import { createMonitor } from '../monitors/create.js';
import { deleteMonitor } from '../monitors/delete.js';
import { listChecks, listIncidents, uptimeOf } from '../monitors/history.js';
import { getMonitor, listMonitors } from '../monitors/reads.js';
import { createMonitorInput, monitorId, updateMonitorInput } from '../monitors/schemas.js';
import { updateMonitor } from '../monitors/update.js';
import { checkOutput, incidentOutput, monitorOutput, toMonitorOutput, uptimeOutput } from '../monitors/wire.js';
import { router } from '../trpc.js';
import { actorOf, can } from './can.js';
import { verifiedProcedure } from './verified.js';

const byId = z.object({ id: monitorId });
export const pageInput = {
  limit: z.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).nullish(),
};

export const monitorsRouter = router({
  list: can('monitors:read').output(z.array(monitorOutput)).query(async ({ ctx }) => {
    const { items } = await listMonitors(ctx.svc, ctx.account.id);
    return items.map(toMonitorOutput);
  }),

  /** One monitor with its uptime over 24 h / 7 d / 30 d / 90 d and its average response time. */
  get: can('monitors:read')
    .input(byId)
    .output(monitorOutput.extend(uptimeOutput.shape))
    .query(async ({ ctx, input }) => {
      const monitor = await getMonitor(ctx.svc, ctx.account.id, input.id);
      return { ...toMonitorOutput(monitor), ...(await uptimeOf(ctx.svc, monitor.id)) };
    }),

  /** The check history, newest first. */
  checks: can('monitors:read')
    .input(byId.extend(pageInput))
    .output(z.object({ items: z.array(checkOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const monitor = await getMonitor(ctx.svc, ctx.account.id, input.id);
      return listChecks(ctx.svc, monitor.id, { limit: input.limit, cursor: input.cursor });
    }),

  incidents: can('monitors:read')
    .input(byId)
    .output(z.array(incidentOutput))
    .query(async ({ ctx, input }) => {
      const monitor = await getMonitor(ctx.svc, ctx.account.id, input.id);
      return listIncidents(ctx.svc, monitor.id);
    }),

  create: verifiedProcedure('monitors:write')
    .input(createMonitorInput)
    .output(monitorOutput)
    .mutation(async ({ ctx, input }) => toMonitorOutput(await createMonitor(ctx.svc, ctx.account, input, actorOf(ctx)))),

  update: can('monitors:write')
    .input(updateMonitorInput)
    .output(monitorOutput)
    .mutation(async ({ ctx, input }) => toMonitorOutput(await updateMonitor(ctx.svc, ctx.account, input, actorOf(ctx)))),

  delete: can('monitors:write')
    .input(byId)
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteMonitor(ctx.svc, ctx.account, input.id, actorOf(ctx));
      return { id: input.id, deleted: true as const };
    }),
});
