import * as z from 'zod';
import { createContact } from '../alerts/contacts/create.js';
import { deleteContact } from '../alerts/contacts/delete.js';
import { listContacts, toContactOutput, withTargetHidden } from '../alerts/contacts/read.js';
import { rotateSecret } from '../alerts/contacts/rotate-secret.js';
import { updateContact } from '../alerts/contacts/update.js';
import { resendVerification, verifyContact } from '../alerts/contacts/verification.js';
import {
  contactId,
  contactOutput,
  contactWithSecretOutput,
  type ContactOutput,
  createContactInput,
  updateContactInput,
  verifyContactInput,
} from '../alerts/schemas.js';
import { sendTestEvent } from '../alerts/test-event.js';
import { router } from '../trpc.js';
import { actorOf, can, shownTo } from './can.js';

const byId = z.strictObject({ id: contactId });

/**
 * Contacts are managed by admins and owners (contacts:write); every member sees them and their
 * deliveries, a URL target as its scheme and host unless the role may edit it. The writes answer
 * only roles that may, so they show it whole.
 */
export const contactsRouter = router({
  list: can('contacts:read')
    .output(z.array(contactOutput))
    .query(async ({ ctx }) => {
      const shown = await shownTo<ContactOutput>(ctx, 'contacts:write', withTargetHidden);
      return (await listContacts(ctx.svc, ctx.account.id)).map((c) => shown(toContactOutput(c)));
    }),

  /** A webhook's signing secret is in this answer and never again. */
  create: can('contacts:write')
    .input(createContactInput)
    .output(contactWithSecretOutput)
    .mutation(async ({ ctx, input }) => {
      const { contact, signingSecret } = await createContact(ctx.svc, ctx.account, input, actorOf(ctx));
      return { ...toContactOutput(contact), signingSecret };
    }),

  update: can('contacts:write')
    .input(updateContactInput)
    .output(contactOutput)
    .mutation(async ({ ctx, input }) => toContactOutput(await updateContact(ctx.svc, ctx.account.id, input, actorOf(ctx)))),

  delete: can('contacts:write')
    .input(byId)
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteContact(ctx.svc, ctx.account.id, input.id, actorOf(ctx));
      return { id: input.id, deleted: true as const };
    }),

  verify: can('contacts:write')
    .input(verifyContactInput)
    .output(contactOutput)
    .mutation(async ({ ctx, input }) => toContactOutput(await verifyContact(ctx.svc, ctx.account.id, input.id, input.code, actorOf(ctx)))),

  resendVerification: can('contacts:write')
    .input(byId)
    .output(z.object({ sent: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await resendVerification(ctx.svc, ctx.account.id, input.id, actorOf(ctx));
      return { sent: true as const };
    }),

  rotateSecret: can('contacts:write')
    .input(byId)
    .output(contactWithSecretOutput)
    .mutation(async ({ ctx, input }) => {
      const { contact, signingSecret } = await rotateSecret(ctx.svc, ctx.account.id, input.id, actorOf(ctx));
      return { ...toContactOutput(contact), signingSecret };
    }),

  /** Sends a `test` event now; its delivery shows in alerts.deliveries. */
  test: can('contacts:write')
    .input(byId)
    .output(z.object({ deliveryId: z.string() }))
    .mutation(async ({ ctx, input }) => ({ deliveryId: await sendTestEvent(ctx.svc, ctx.account.id, input.id, actorOf(ctx)) })),
});
