import { randomBytes } from 'node:crypto';

/**
 * The Standard Webhooks secret format: `whsec_` + base64 of 32 random bytes. Webhook signing
 * secrets must be usable by the sender, so they cannot be hashed: they are sealed with the one
 * secret box (src/crypto/secret-box.ts), bound to their contact's id.
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
