import * as z from 'zod';
import { alertContactIdsInput, contactId } from './contact-ids.js';
import { pageInput } from '../domain/page.js';
import { ALERT_EVENT_TYPES, CONTACT_KINDS, CONTACT_STATUSES, DELIVERY_STATUSES } from '../db/schema.js';

const name = z.string().trim().min(1, 'name is required').max(100, 'name must be at most 100 characters');
const target = z.string().trim().min(1, 'target is required').max(2048, 'target must be at most 2048 characters');
const emailAddress = z.email('must be a valid email address');
/** A routing key, bot token or access token the person gives; sealed at rest and never shown again. Its format is the kind's rule. */
const secret = z.string().trim().min(1, 'secret must not be empty').max(500, 'secret must be at most 500 characters');

/** An email contact's target must be an address; every other kind's target and secret are judged by the service (its kind's rule, SSRF). */
function targetFitsKind(v: { kind?: string; target?: string | undefined }, ctx: z.RefinementCtx): void {
  if (v.kind === 'email' && v.target !== undefined && !emailAddress.safeParse(v.target).success) {
    ctx.addIssue({ code: 'custom', path: ['target'], message: 'must be a valid email address' });
  }
}

export { alertContactIdsInput, contactId };

export const createContactInput = z
  .strictObject({
    kind: z.enum(CONTACT_KINDS),
    name,
    /** An email address, a URL, or a Telegram chat id; PagerDuty's defaults to its US Events API. */
    target: target.optional(),
    /** PagerDuty: the routing key; Telegram: the bot token; ntfy: an access token, optional. Never shown again. */
    secret: secret.optional(),
  })
  .superRefine(targetFitsKind);
export type CreateContactInput = z.infer<typeof createContactInput>;

export const updateContactInput = z.strictObject({
  id: contactId,
  name: name.optional(),
  target: target.optional(),
  /** A new routing key, bot token or access token; null removes an optional one (ntfy's). */
  secret: secret.nullable().optional(),
});
export type UpdateContactInput = z.infer<typeof updateContactInput>;

export const verifyContactInput = z.strictObject({
  id: contactId,
  code: z.string().trim().regex(/^\d{6}$/, 'must be the 6-digit code we sent'),
});

export const contactOutput = z.object({
  id: z.string(),
  kind: z.enum(CONTACT_KINDS),
  name: z.string(),
  /** For a role without contacts:write, a URL's scheme and host only, then "/•••" (see targetHidden). */
  target: z.string(),
  /** True when the target is cut to its scheme and host: a URL's path and query (a webhook's, a chat service's) may carry a token. */
  targetHidden: z.boolean(),
  /** Whether the contact holds a secret (a signing secret, routing key, bot token or access token); the secret itself is never shown after it is set. */
  secretSet: z.boolean(),
  status: z.enum(CONTACT_STATUSES),
  createdAt: z.iso.datetime(),
  /** The user who added it; null for the account's own address (and contacts older than that record). */
  createdBy: z.string().nullable(),
});
export type ContactOutput = z.infer<typeof contactOutput>;

/** Returned by create and rotateSecret of a webhook: the only time its secret is shown. */
export const contactWithSecretOutput = contactOutput.extend({ signingSecret: z.string().nullable() });


export const deliveriesInput = z.strictObject({
  monitorId: z.string().regex(/^mon_[a-z0-9]{1,64}$/, 'must be a monitor id (mon_…)').optional(),
  contactId: contactId.optional(),
  ...pageInput,
});

export const attemptOutput = z.object({
  attemptedAt: z.iso.datetime(),
  statusCode: z.number().int().nullable(),
  response: z.string().nullable(),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
});

export const deliveryOutput = z.object({
  id: z.string(),
  eventId: z.string(),
  type: z.enum(ALERT_EVENT_TYPES),
  monitorId: z.string().nullable(),
  contactId: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  history: z.array(attemptOutput),
});
