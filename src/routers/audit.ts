import * as z from 'zod';
import { listAuditPlan } from '../audit/list.js';
import { auditEntryOutput, auditListInput } from '../audit/schemas.js';
import { router } from '../trpc.js';
import { canRead } from './can.js';

export const auditRouter = router({
  /** Admins and owners: who changed what, when, from where, and the attempts that were refused. */
  list: canRead('audit:read')
    .input(auditListInput)
    .output(z.object({ items: z.array(auditEntryOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => (await ctx.read((accountId) => listAuditPlan(ctx.svc, accountId, input))).value),
});
