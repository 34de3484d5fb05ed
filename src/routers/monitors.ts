import { z } from 'zod';
import { pingUrlOf } from '../heartbeat/token.js';
import { createMonitorInput, MONITOR_STATUSES, monitorId, monitorOutput, updateMonitorInput } from '../monitors/schemas.js';
import { createMonitor, deleteMonitor, getMonitor, listMonitors, rotatePingToken, updateMonitor } from '../monitors/service.js';
import { toMonitorOutput } from '../monitors/view.js';
import { checkOutput, incidentOutput, listChecks, listIncidents, uptimeOf, uptimeOfMany, uptimeOutput } from '../monitors/history.js';
import { protectedProcedure, router } from '../trpc.js';

const byId = z.object({ id: monitorId });
export const pageInput = {
  limit: z.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).nullish(),
};
const account = (user: { accountId: string; plan: 'free' | 'solo' | 'team' }) => ({ id: user.accountId, plan: user.plan });

/** issue 18: filters of the list. */
const listInput = z
  .object({
    ...pageInput,
    tag: z.string().trim().min(1).max(32).optional(),
    status: z.enum(MONITOR_STATUSES).optional(),
    search: z.string().trim().min(1).max(100).optional(),
  })
  .default({ limit: 50 });

const listedMonitor = monitorOutput.extend({
  uptime24h: z.number().nullable(),
  uptime30d: z.number().nullable(),
});

/** Shown once, on create and on rotation: only the token's hash is stored. */
const withPingUrl = monitorOutput.extend({ pingUrl: z.string().nullable() });

export const monitorsRouter = router({
  /** A page of monitors, each with its 24 h and 30 d uptime (one query for the whole page). */
  list: protectedProcedure
    .input(listInput)
    .output(z.object({ items: z.array(listedMonitor), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const { items, nextCursor } = await listMonitors(ctx.svc, ctx.user.accountId, input);
      const uptime = await uptimeOfMany(ctx.svc, items, ['uptime24h', 'uptime30d']);
      return {
        items: items.map((m) => {
          const u = uptime.get(m.id);
          return { ...toMonitorOutput(m, ctx.user.plan), uptime24h: u?.uptime24h ?? null, uptime30d: u?.uptime30d ?? null };
        }),
        nextCursor,
      };
    }),

  /** One monitor with its uptime over 24 h / 7 d / 30 d / 90 d and its average response time. */
  get: protectedProcedure
    .input(byId)
    .output(monitorOutput.extend(uptimeOutput.shape))
    .query(async ({ ctx, input }) => {
      const monitor = await getMonitor(ctx.svc, ctx.user.accountId, input.id);
      return { ...toMonitorOutput(monitor, ctx.user.plan), ...(await uptimeOf(ctx.svc, monitor.id)) };
    }),

  /** The check history, newest first. */
  checks: protectedProcedure
    .input(byId.extend(pageInput))
    .output(z.object({ items: z.array(checkOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const monitor = await getMonitor(ctx.svc, ctx.user.accountId, input.id);
      return listChecks(ctx.svc, monitor.id, { limit: input.limit, cursor: input.cursor });
    }),

  /** Incidents, newest first (cursor pages). */
  incidents: protectedProcedure
    .input(byId.extend(pageInput))
    .output(z.object({ items: z.array(incidentOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const monitor = await getMonitor(ctx.svc, ctx.user.accountId, input.id);
      return listIncidents(ctx.svc, monitor.id, { limit: input.limit, cursor: input.cursor });
    }),

  create: protectedProcedure
    .input(createMonitorInput)
    .output(withPingUrl)
    .mutation(async ({ ctx, input }) => {
      const { pingToken, ...monitor } = await createMonitor(ctx.svc, account(ctx.user), input);
      return {
        ...toMonitorOutput(monitor, ctx.user.plan),
        pingUrl: pingToken ? pingUrlOf(ctx.svc.config.publicBaseUrl, pingToken) : null,
      };
    }),

  update: protectedProcedure
    .input(updateMonitorInput)
    .output(monitorOutput)
    .mutation(async ({ ctx, input }) => toMonitorOutput(await updateMonitor(ctx.svc, account(ctx.user), input), ctx.user.plan)),

  /** issue 18: a new ping URL for a heartbeat monitor; the old one stops working at once. */
  rotatePingToken: protectedProcedure
    .input(byId)
    .output(z.object({ id: z.string(), pingUrl: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const token = await rotatePingToken(ctx.svc, account(ctx.user), input.id);
      return { id: input.id, pingUrl: pingUrlOf(ctx.svc.config.publicBaseUrl, token) };
    }),

  delete: protectedProcedure
    .input(byId)
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteMonitor(ctx.svc, account(ctx.user), input.id);
      return { id: input.id, deleted: true as const };
    }),
});
