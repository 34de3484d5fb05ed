import * as z from 'zod';
import { pingUrlOf } from '../heartbeat/token.js';
import { createMonitor } from '../monitors/create.js';
import { deleteMonitor } from '../monitors/delete.js';
import { listChecksPlan, listIncidentsPlan, monitorAnd, monitorsWithUptimePlan, monitorWithUptimePlan } from '../monitors/history.js';
import { rotatePingToken } from '../monitors/rotate-ping-token.js';
import { createMonitorInput, monitorId, updateMonitorInput } from '../monitors/schemas.js';
import { updateMonitor } from '../monitors/update.js';
import { checkOutput, incidentOutput, MONITOR_STATUSES, monitorOutput, toMonitorOutput, uptimeOutput, withRequestHidden, type MonitorOutput } from '../monitors/wire.js';
import { pageInput, pageOutput } from '../domain/page.js';
import { cursorsOf, router, type Context } from '../trpc.js';
import { actorOf, can, canRead, shownTo } from './can.js';

const byId = z.strictObject({ id: monitorId });

/** The request a monitor sends (header values, body) is shown only to a role that may edit it. */
const requestShownTo = (ctx: Context) => shownTo<MonitorOutput>(ctx, 'monitors:write', withRequestHidden);

/** The list's filters. */
const listInput = z
  .strictObject({
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
  list: canRead('monitors:read')
    .input(listInput)
    .output(pageOutput(listedMonitor))
    .query(async ({ ctx, input, path }) => {
      const cursors = cursorsOf(ctx, path, input);
      const { account, value } = await ctx.read((accountId) => monitorsWithUptimePlan(ctx.svc, accountId, cursors.query(accountId), ['uptime24h', 'uptime30d']));
      const shown = await requestShownTo(ctx);
      return cursors.page(account.id, {
        items: value.items.map(({ uptime, ...m }) => shown({ ...toMonitorOutput(m, account.plan), uptime24h: uptime.uptime24h, uptime30d: uptime.uptime30d })),
        nextCursor: value.nextCursor,
      });
    }),

  /** One monitor with its uptime over 24 h / 7 d / 30 d / 90 d and its average response time. */
  get: canRead('monitors:read')
    .input(byId)
    .output(monitorOutput.extend(uptimeOutput.shape))
    .query(async ({ ctx, input }) => {
      const { account, value } = await ctx.read((accountId) => monitorWithUptimePlan(ctx.svc, accountId, input.id));
      return (await requestShownTo(ctx))({ ...toMonitorOutput(value.monitor, account.plan), ...value.uptime });
    }),

  /** The check history, newest first. */
  checks: canRead('monitors:read')
    .input(byId.extend(pageInput))
    .output(pageOutput(checkOutput))
    .query(async ({ ctx, input, path }) => {
      const cursors = cursorsOf(ctx, path, input);
      const { account, value } = await ctx.read((accountId) => monitorAnd(ctx.svc, accountId, input.id, (id) => listChecksPlan(ctx.svc, id, cursors.query(accountId))));
      return cursors.page(account.id, value);
    }),

  /** Incidents, newest first (cursor pages). */
  incidents: canRead('monitors:read')
    .input(byId.extend(pageInput))
    .output(pageOutput(incidentOutput))
    .query(async ({ ctx, input, path }) => {
      const cursors = cursorsOf(ctx, path, input);
      const { account, value } = await ctx.read((accountId) => monitorAnd(ctx.svc, accountId, input.id, (id) => listIncidentsPlan(ctx.svc, id, cursors.query(accountId))));
      return cursors.page(account.id, value);
    }),

  create: can('monitors:write')
    .input(createMonitorInput)
    .output(withPingUrl)
    .mutation(async ({ ctx, input }) => {
      const { pingToken, ...monitor } = await createMonitor(ctx.svc, ctx.account, input, actorOf(ctx));
      return {
        ...toMonitorOutput(monitor, ctx.account.plan),
        pingUrl: pingToken ? pingUrlOf(ctx.svc.config.publicBaseUrl, pingToken) : null,
      };
    }),

  /** `credentialsCleared`: the URL moved to another origin and its credentials were dropped; ask for them again. */
  update: can('monitors:write')
    .input(updateMonitorInput)
    .output(monitorOutput.extend({ credentialsCleared: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const { monitor, credentialsCleared } = await updateMonitor(ctx.svc, ctx.account, input, actorOf(ctx));
      return { ...toMonitorOutput(monitor, ctx.account.plan), credentialsCleared };
    }),

  /** A new ping URL for a heartbeat monitor; the old one stops working at once. */
  rotatePingToken: can('monitors:write')
    .input(byId)
    .output(z.object({ id: z.string(), pingUrl: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const token = await rotatePingToken(ctx.svc, ctx.account, input.id, actorOf(ctx));
      return { id: input.id, pingUrl: pingUrlOf(ctx.svc.config.publicBaseUrl, token) };
    }),

  delete: can('monitors:write')
    .input(byId)
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteMonitor(ctx.svc, ctx.account, input.id, actorOf(ctx));
      return { id: input.id, deleted: true as const };
    }),
});
