import { z } from 'zod';
import { createContact } from '../alerts/contacts/create.js';
import { deleteContact } from '../alerts/contacts/delete.js';
import { listContacts, toContactOutput } from '../alerts/contacts/read.js';
import { rotateSecret } from '../alerts/contacts/rotate-secret.js';
import { updateContact } from '../alerts/contacts/update.js';
import { resendVerification, verifyContact } from '../alerts/contacts/verification.js';
import {
  contactId,
  contactOutput,
  contactWithSecretOutput,
  createContactInput,
  updateContactInput,
  verifyContactInput,
} from '../alerts/schemas.js';
import { sendTestEvent } from '../alerts/test-event.js';
import { protectedProcedure, router } from '../trpc.js';

const byId = z.object({ id: contactId });

export const contactsRouter = router({
  list: protectedProcedure.output(z.array(contactOutput)).query(async ({ ctx }) =>
    (await listContacts(ctx.svc, ctx.account.id)).map(toContactOutput),
  ),

  /** A webhook's signing secret is in this answer and never again. */
  create: protectedProcedure
    .input(createContactInput)
    .output(contactWithSecretOutput)
    .mutation(async ({ ctx, input }) => {
      const { contact, signingSecret } = await createContact(ctx.svc, ctx.account, input);
      return { ...toContactOutput(contact), signingSecret };
    }),

  update: protectedProcedure
    .input(updateContactInput)
    .output(contactOutput)
    .mutation(async ({ ctx, input }) => toContactOutput(await updateContact(ctx.svc, ctx.account.id, input))),

  delete: protectedProcedure
    .input(byId)
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteContact(ctx.svc, ctx.account.id, input.id);
      return { id: input.id, deleted: true as const };
    }),

  verify: protectedProcedure
    .input(verifyContactInput)
    .output(contactOutput)
    .mutation(async ({ ctx, input }) => toContactOutput(await verifyContact(ctx.svc, ctx.account.id, input.id, input.code))),

  resendVerification: protectedProcedure
    .input(byId)
    .output(z.object({ sent: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await resendVerification(ctx.svc, ctx.account.id, input.id);
      return { sent: true as const };
    }),

  rotateSecret: protectedProcedure
    .input(byId)
    .output(contactWithSecretOutput)
    .mutation(async ({ ctx, input }) => {
      const { contact, signingSecret } = await rotateSecret(ctx.svc, ctx.account.id, input.id);
      return { ...toContactOutput(contact), signingSecret };
    }),

  /** Sends a `test` event now; its delivery shows in alerts.deliveries. */
  test: protectedProcedure
    .input(byId)
    .output(z.object({ deliveryId: z.string() }))
    .mutation(async ({ ctx, input }) => ({ deliveryId: await sendTestEvent(ctx.svc, ctx.account.id, input.id) })),
});
