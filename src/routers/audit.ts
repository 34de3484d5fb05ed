import * as z from 'zod';
import { listAudit } from '../audit/list.js';
import { auditEntryOutput, auditListInput } from '../audit/schemas.js';
import { router } from '../trpc.js';
import { can } from './can.js';

export const auditRouter = router({
  /** Admins and owners: who changed what, when, from where, and the attempts that were refused. */
  list: can('audit:read')
    .input(auditListInput)
    .output(z.object({ items: z.array(auditEntryOutput), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listAudit(ctx.svc, ctx.account.id, input)),
});
