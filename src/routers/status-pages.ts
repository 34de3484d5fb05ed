import * as z from 'zod';
import { createStatusPage } from '../status-pages/create.js';
import { deleteStatusPage } from '../status-pages/delete.js';
import { listStatusPages } from '../status-pages/list.js';
import { createStatusPageInput, statusPageId, statusPageOutput, updateStatusPageInput } from '../status-pages/schemas.js';
import { updateStatusPage } from '../status-pages/update.js';
import { router } from '../trpc.js';
import { can } from './can.js';

/** The owner's management of public status pages (the pages themselves are served by src/status-pages/routes.ts). */
export const statusPagesRouter = router({
  list: can('statusPages:read')
    .output(z.array(statusPageOutput))
    .query(({ ctx }) => listStatusPages(ctx.svc, ctx.account.id)),

  create: can('statusPages:write')
    .input(createStatusPageInput)
    .output(statusPageOutput)
    .mutation(({ ctx, input }) => createStatusPage(ctx.svc, ctx.account, input)),

  update: can('statusPages:write')
    .input(updateStatusPageInput)
    .output(statusPageOutput)
    .mutation(({ ctx, input }) => updateStatusPage(ctx.svc, ctx.account, input)),

  delete: can('statusPages:write')
    .input(z.strictObject({ id: statusPageId }))
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteStatusPage(ctx.svc, ctx.account.id, input.id);
      return { id: input.id, deleted: true as const };
    }),
});
