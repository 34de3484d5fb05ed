import { z } from 'zod';
import { createMonitorInput, monitorId, monitorOutput, updateMonitorInput } from '../monitors/schemas.js';
import { createMonitor, deleteMonitor, getMonitor, listMonitors, updateMonitor } from '../monitors/service.js';
import { toMonitorOutput } from '../monitors/view.js';
import { checkOutput, incidentOutput, listChecks, listIncidents, uptimeOf, uptimeOutput } from '../monitors/history.js';
import { protectedProcedure, router } from '../trpc.js';
import { verifiedProcedure } from './verified.js';

const byId = z.object({ id: monitorId });
export const pageInput = {
  limit: z.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).nullish(),
};
const account = (user: { accountId: string; plan: 'free' | 'solo' | 'team' }) => ({ id: user.accountId, plan: user.plan });

export const monitorsRouter = router({
  list: protectedProcedure.output(z.array(monitorOutput)).query(async ({ ctx }) => {
    const { items } = await listMonitors(ctx.svc, ctx.user.accountId);
    return items.map(toMonitorOutput);
  }),

  /** One monitor with its uptime over 24 h / 7 d / 30 d / 90 d and its average response time. */
  get: protectedProcedure
    .input(byId)
    .output(monitorOutput.extend(uptimeOutput.shape))
    .query(async ({ ctx, input }) => {
      const monitor = await getMonitor(ctx.svc, ctx.user.accountId, input.id);
      return { ...toMonitorOutput(monitor), ...(await uptimeOf(ctx.svc, monitor.id)) };
    }),

  /** The check history, newest first. */
  checks: protectedProcedure
    .input(byId.extend(pageInput))
    .output(z.object({ items: z.array(checkOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const monitor = await getMonitor(ctx.svc, ctx.user.accountId, input.id);
      return listChecks(ctx.svc, monitor.id, { limit: input.limit, cursor: input.cursor });
    }),

  incidents: protectedProcedure
    .input(byId)
    .output(z.array(incidentOutput))
    .query(async ({ ctx, input }) => {
      const monitor = await getMonitor(ctx.svc, ctx.user.accountId, input.id);
      return listIncidents(ctx.svc, monitor.id);
    }),

  create: verifiedProcedure
    .input(createMonitorInput)
    .output(monitorOutput)
    .mutation(async ({ ctx, input }) => toMonitorOutput(await createMonitor(ctx.svc, account(ctx.user), input))),

  update: protectedProcedure
    .input(updateMonitorInput)
    .output(monitorOutput)
    .mutation(async ({ ctx, input }) => toMonitorOutput(await updateMonitor(ctx.svc, account(ctx.user), input))),

  delete: protectedProcedure
    .input(byId)
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteMonitor(ctx.svc, account(ctx.user), input.id);
      return { id: input.id, deleted: true as const };
    }),
});
