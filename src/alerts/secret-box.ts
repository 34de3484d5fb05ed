/**
 * Webhook signing secrets must be usable by the sender, so they cannot be hashed: they are sealed
 * with AES-256-GCM under a key derived from the service's secret material, bound to their contact
 * (additional data), and prefixed with the key's id so keys can rotate without re-encrypting at once.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Keys by id; `current` seals, every listed key opens. */
export type SecretKeyring = { current: string; keys: ReadonlyMap<string, Buffer> };

export const CURRENT_KEY_ID = 'k1';

/**
 * The one place the key comes from: SEALING_SECRET (config.sealingSecret), a secret of its own that
 * no token key is derived from, under this purpose's own HKDF label.
 */
export function alertKeyring(secretMaterial: string): SecretKeyring {
  const key = Buffer.from(hkdfSync('sha256', secretMaterial, 'vigil', `vigil alert secrets ${CURRENT_KEY_ID}`, 32));
  return { current: CURRENT_KEY_ID, keys: new Map([[CURRENT_KEY_ID, key]]) };
}

/** The Standard Webhooks secret format: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function seal(ring: SecretKeyring, plaintext: string, boundTo: string): string {
  const key = ring.keys.get(ring.current)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const b64 = (b: Buffer) => b.toString('base64url');
  return `${ring.current}:${b64(iv)}.${b64(body)}.${b64(cipher.getAuthTag())}`;
}

export function open(ring: SecretKeyring, sealed: string, boundTo: string): string {
  const [keyId, rest = ''] = sealed.split(':', 2);
  const key = ring.keys.get(keyId ?? '');
  if (!key) throw new Error(`no key ${keyId} to open this secret`);
  const [iv, body, tag] = rest.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !body || !tag) throw new Error('malformed sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(boundTo));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
