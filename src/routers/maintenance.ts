import * as z from 'zod';
import { maintenanceId, maintenanceInput, maintenanceOutput } from '../maintenance/schemas.js';
import { createWindow, deleteWindow, listWindowsPlan, toMaintenanceOutput, updateWindow } from '../maintenance/service.js';
import { monitorId } from '../monitors/schemas.js';
import { pageInput, pageOutput } from '../domain/page.js';
import { cursorsOf, router } from '../trpc.js';
import { actorOf, can, canRead } from './can.js';

/** Maintenance windows (checks run and are recorded; no incident, no alert, no downtime). */
export const maintenanceRouter = router({
  list: canRead('monitors:read')
    .input(z.strictObject({ ...pageInput, monitorId: monitorId.optional() }).default({ limit: 50 }))
    .output(pageOutput(maintenanceOutput))
    .query(async ({ ctx, input, path }) => {
      const cursors = cursorsOf(ctx, path, input);
      const { account, value } = await ctx.read((accountId) => listWindowsPlan(ctx.svc, accountId, cursors.query(accountId)));
      return cursors.page(account.id, { items: value.items.map((w) => toMaintenanceOutput(w, ctx.svc.now())), nextCursor: value.nextCursor });
    }),

  create: can('monitors:write')
    .input(maintenanceInput)
    .output(maintenanceOutput)
    .mutation(async ({ ctx, input }) => toMaintenanceOutput(await createWindow(ctx.svc, ctx.account.id, input, actorOf(ctx)), ctx.svc.now())),

  /** Replaces the window's definition. */
  update: can('monitors:write')
    .input(z.strictObject({ id: maintenanceId, window: maintenanceInput }))
    .output(maintenanceOutput)
    .mutation(async ({ ctx, input }) =>
      toMaintenanceOutput(await updateWindow(ctx.svc, ctx.account.id, input.id, input.window, actorOf(ctx)), ctx.svc.now()),
    ),

  delete: can('monitors:write')
    .input(z.strictObject({ id: maintenanceId }))
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteWindow(ctx.svc, ctx.account.id, input.id, actorOf(ctx));
      return { id: input.id, deleted: true as const };
    }),
});
