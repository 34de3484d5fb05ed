import { z } from 'zod';
import { accountSummary } from '../accounts/service.js';
import { PLANS } from '../domain/plans.js';
import { router } from '../trpc.js';
import { can } from './can.js';

const accountOutput = z.object({
  id: z.string(),
  plan: z.enum(PLANS),
  limits: z.object({
    label: z.string(),
    maxMonitors: z.number(),
    minIntervalSeconds: z.number(),
    maxApiClients: z.number(),
    publicApiRequestsPerMinute: z.number(),
    historyDays: z.number(),
    immediateChecksPerHour: z.number(),
  }),
  usage: z.object({ monitors: z.number(), apiClients: z.number() }),
});

export const accountRouter = router({
  get: can('account:read')
    .output(accountOutput)
    .query(({ ctx }) => accountSummary(ctx.svc, ctx.account)),
});
