import * as z from 'zod';
import { listDeliveries } from '../alerts/history.js';
import { deliveriesInput, deliveryOutput } from '../alerts/schemas.js';
import { router } from '../trpc.js';
import { can } from './can.js';

export const alertsRouter = router({
  /** Every delivery of the account's alerts, newest first, with each attempt's outcome. */
  deliveries: can('contacts:read')
    .input(deliveriesInput)
    .output(z.object({ items: z.array(deliveryOutput), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listDeliveries(ctx.svc, ctx.account.id, input)),
});
