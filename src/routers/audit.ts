import { listAuditPlan } from '../audit/list.js';
import { auditEntryOutput, auditListInput } from '../audit/schemas.js';
import { pageOutput } from '../domain/page.js';
import { cursorsOf, router } from '../trpc.js';
import { canRead } from './can.js';

export const auditRouter = router({
  /** Admins and owners: who changed what, when, from where, and the attempts that were refused. */
  list: canRead('audit:read')
    .input(auditListInput)
    .output(pageOutput(auditEntryOutput))
    .query(async ({ ctx, input, path }) => {
      const cursors = cursorsOf(ctx, path, input);
      const { account, value } = await ctx.read((accountId) => listAuditPlan(ctx.svc, accountId, cursors.query(accountId)));
      return cursors.page(account.id, value);
    }),
});
