import * as z from 'zod';
import { pingUrlOf } from '../heartbeat/token.js';
import { createMonitor } from '../monitors/create.js';
import { deleteMonitor } from '../monitors/delete.js';
import { changesCursorPlan, formatFeedCursor, parseFeedCursor } from '../monitors/changes.js';
import {
  changedMonitorsWithUptimePlan,
  CHART_RANGES,
  listChecksPlan,
  listIncidentsPlan,
  monitorAnd,
  monitorsWithUptimePlan,
  monitorUptimeDaysPlan,
  monitorWithUptimePlan,
  responseTimesPlan,
  type ChartRange,
} from '../monitors/history.js';
import { checkNow } from '../monitors/immediate-check.js';
import { regionLatencyPlan } from '../monitors/region-latency.js';
import { rotatePingToken } from '../monitors/rotate-ping-token.js';
import { createMonitorInput, monitorId, updateMonitorInput } from '../monitors/schemas.js';
import { updateMonitor } from '../monitors/update.js';
import { checkOutput, incidentOutput, MONITOR_STATUSES, monitorOutput, toMonitorOutput, uptimeOutput, withRequestHidden, type MonitorOutput } from '../monitors/wire.js';
import type { MonitorRow } from '../monitors/reads.js';
import { both } from '../db/plan.js';
import type { PlanName } from '../domain/plans.js';
import { pageInput, pageOutput } from '../domain/page.js';
import { cursorsOf, router, type Context } from '../trpc.js';
import { actorOf, can, canRead, shownTo } from './can.js';

const byId = z.strictObject({ id: monitorId });

/** The request a monitor sends (header values, body) is shown only to a role that may edit it. */
const requestShownTo = (ctx: Context) => shownTo<MonitorOutput>(ctx, 'monitors:write', withRequestHidden);

/** The list's filters (and its change feed's). */
const filters = {
  tag: z.string().trim().min(1).max(32).optional(),
  status: z.enum(MONITOR_STATUSES).optional(),
  search: z.string().trim().min(1).max(100).optional(),
};
const listInput = z.strictObject({ ...pageInput, ...filters }).default({ limit: 50 });

const listedMonitor = monitorOutput.extend({
  uptime24h: z.number().nullable(),
  uptime30d: z.number().nullable(),
});
type Listed = MonitorRow & { uptime: { uptime24h: number | null; uptime30d: number | null } };
const listed = (plan: PlanName, shown: (o: MonitorOutput) => MonitorOutput) =>
  // toMonitorOutput picks its fields: the row is not copied without its uptime first (a rest copy of 46 keys per monitor).
  (m: Listed) => ({ ...shown(toMonitorOutput(m, plan)), uptime24h: m.uptime.uptime24h, uptime30d: m.uptime.uptime30d });

/** The change feed's cursor, opaque to its holder (changes.ts). */
const changesCursor = z.string().regex(/^\d{1,15}(\.\d{1,15})?$/, 'a cursor from monitors.list or monitors.changes');

/** Shown once, on create and on rotation: only the token's hash is stored. */
const withPingUrl = monitorOutput.extend({ pingUrl: z.string().nullable() });

export const monitorsRouter = router({
  /**
   * A page of monitors, each with its 24 h and 30 d uptime (one query for the whole page), and
   * `changesCursor`: where the change feed (monitors.changes) starts for a screen that keeps it.
   */
  list: canRead('monitors:read')
    .input(listInput)
    .output(pageOutput(listedMonitor).extend({ changesCursor }))
    .query(async ({ ctx, input, path }) => {
      const cursors = cursorsOf(ctx, path, input);
      const { account, value } = await ctx.read((accountId) =>
        both(monitorsWithUptimePlan(ctx.svc, accountId, cursors.query(accountId), ['uptime24h', 'uptime30d']), changesCursorPlan(ctx.svc, accountId)),
      );
      const [page, cursor] = value;
      const items = page.items.map(listed(account.plan, await requestShownTo(ctx)));
      return { ...cursors.page(account.id, { items, nextCursor: page.nextCursor }), changesCursor: formatFeedCursor(cursor) };
    }),

  /**
   * What changed since a cursor, with the list's filters: monitors added or changed that match
   * them (with their uptime), and the ids of those removed or no longer matching. Nothing changed
   * costs a few bytes, however many monitors the account has. `reset`: too much changed at once;
   * read the list again.
   */
  changes: canRead('monitors:read')
    .input(z.strictObject({ since: changesCursor, ...filters }))
    .output(z.object({ items: z.array(listedMonitor), goneIds: z.array(z.string()), cursor: changesCursor, reset: z.boolean() }))
    .query(async ({ ctx, input }) => {
      const { since, ...filter } = input;
      const { account, value } = await ctx.read((accountId) =>
        changedMonitorsWithUptimePlan(ctx.svc, accountId, { ...filter, since: parseFeedCursor(since) }, ['uptime24h', 'uptime30d']),
      );
      return { items: value.items.map(listed(account.plan, await requestShownTo(ctx))), goneIds: value.goneIds, cursor: formatFeedCursor(value.cursor), reset: value.reset };
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

  /** Mean response time per hour (24 h, 7 d) or per day (30 d), from the rollups: one point per bucket, oldest first. */
  responseTimes: canRead('monitors:read')
    .input(byId.extend({ range: z.enum(Object.keys(CHART_RANGES) as [ChartRange, ...ChartRange[]]) }))
    .output(
      z.object({
        points: z.array(z.object({ at: z.iso.datetime(), avgResponseTimeMs: z.number().int().nullable(), checks: z.number().int(), failedChecks: z.number().int() })),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { value } = await ctx.read((accountId) => monitorAnd(ctx.svc, accountId, input.id, (id) => responseTimesPlan(ctx.svc, id, input.range)));
      return { points: value };
    }),

  /** Latency by region over the range, from the per-region rollups: one row per region it was checked from, by name. */
  regionLatency: canRead('monitors:read')
    .input(byId.extend({ range: z.enum(Object.keys(CHART_RANGES) as [ChartRange, ...ChartRange[]]) }))
    .output(
      z.object({
        regions: z.array(
          z.object({
            region: z.string(),
            avgResponseTimeMs: z.number().int().nullable(),
            checks: z.number().int(),
            answered: z.number().int(),
            okChecks: z.number().int(),
          }),
        ),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { value } = await ctx.read((accountId) => monitorAnd(ctx.svc, accountId, input.id, (id) => regionLatencyPlan(ctx.svc, id, input.range)));
      return { regions: value };
    }),

  /** The last 90 UTC days, oldest first, each with its uptime (null when nothing was observed). */
  uptimeDays: canRead('monitors:read')
    .input(byId)
    .output(z.object({ days: z.array(z.object({ date: z.iso.date(), uptime: z.number().nullable(), checks: z.number().int() })) }))
    .query(async ({ ctx, input }) => {
      const { value } = await ctx.read((accountId) => monitorUptimeDaysPlan(ctx.svc, accountId, input.id));
      return { days: value };
    }),

  /** Runs the check now; 429 with retryAfterSeconds past one per check interval or the plan's immediate checks per hour. */
  checkNow: can('monitors:write')
    .input(byId)
    .output(z.object({ id: z.string(), requested: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await checkNow(ctx.svc, ctx.account, input.id, actorOf(ctx));
      return { id: input.id, requested: true as const };
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
