import * as z from 'zod';
import { createClient, listClientsPlan, revokeClient } from '../oauth/clients.js';
import { createClientInput, revokeClientInput } from '../oauth/schemas.js';
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
    .input(createClientInput)
    .output(clientOutput.extend({ clientSecret: z.string() }))
    .mutation(({ ctx, input }) =>
      createClient(ctx.svc, ctx.account, input.name, actorOf(ctx)),
    ),

  revoke: can('clients:manage')
    .input(revokeClientInput)
    .output(clientOutput)
    .mutation(({ ctx, input }) => revokeClient(ctx.svc, actorOf(ctx), input.clientId)),
});
