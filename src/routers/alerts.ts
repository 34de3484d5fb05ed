import { listDeliveries } from '../alerts/history.js';
import { deliveriesInput, deliveryOutput } from '../alerts/schemas.js';
import { pageOutput } from '../domain/page.js';
import { cursorsOf, router } from '../trpc.js';
import { can } from './can.js';

export const alertsRouter = router({
  /** Every delivery of the account's alerts, newest first, with each attempt's outcome. */
  deliveries: can('contacts:read')
    .input(deliveriesInput)
    .output(pageOutput(deliveryOutput))
    .query(async ({ ctx, input, path }) => {
      const cursors = cursorsOf(ctx, path, input);
      return cursors.page(ctx.account.id, await listDeliveries(ctx.svc, ctx.account.id, cursors.query(ctx.account.id)));
    }),
});
