import * as z from 'zod';
import { createClient, listClientsPlan, revokeClient } from '../oauth/clients.js';
import { router } from '../trpc.js';
import { actorOf, can, canRead } from './can.js';

const clientOutput = z.object({
  clientId: z.string(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  /** The user who created it and was shown its secret; null for clients older than that record. */
  createdBy: z.string().nullable(),
});

export const oauthClientsRouter = router({
  /** Never shows secrets. */
  list: canRead('clients:read')
    .output(z.array(clientOutput))
    .query(async ({ ctx }) => (await ctx.read((accountId) => listClientsPlan(ctx.svc, accountId))).value),

  /** The only time the secret is shown: the SPA must tell the person to copy it now. */
  create: can('clients:manage')
    .input(z.strictObject({ name: z.string().trim().min(1, 'name is required').max(100, 'name must be at most 100 characters') }))
    .output(clientOutput.extend({ clientSecret: z.string() }))
    .mutation(({ ctx, input }) =>
      createClient(ctx.svc, ctx.account, input.name, actorOf(ctx)),
    ),

  revoke: can('clients:manage')
    .input(z.strictObject({ clientId: z.string().regex(/^cli_[a-z0-9]{1,64}$/, 'must be a client id (cli_…)') }))
    .output(clientOutput)
    .mutation(({ ctx, input }) => revokeClient(ctx.svc, actorOf(ctx), input.clientId)),
});
