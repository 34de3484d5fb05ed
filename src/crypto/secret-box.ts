/**
 * The one AES-256-GCM box for secrets the service must read back: a monitor's basic-auth password
 * or bearer token and a webhook contact's signing secret. Keys are derived
 * with HKDF-SHA-256 from SEALING_SECRET, each with a key id, so a new secret can seal while older
 * ones (SEALING_SECRET_PREVIOUS) still open.
 *
 *   seal(plaintext, boundTo?) → 'v1:<kid>:<iv>:<ct>:<tag>'   (base64url parts, 12-byte random IV)
 *   open(sealed, boundTo?)    → plaintext                     (throws when tampered, moved or the key is unknown)
 *
 * `boundTo` (e.g. the contact id) goes into the additional data: a value copied onto another row
 * does not open there.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const INFO = 'vigil secret-box v1';
const VERSION = 'v1';
/**
 * GCM accepts tags from 4 to 16 bytes unless the length is pinned, and a tag cut to 4 bytes is
 * forged in about 2^32 tries: only the whole tag opens.
 */
const GCM = { authTagLength: 16 } as const;

export type SecretBox = {
  seal(plaintext: string, boundTo?: string): string;
  open(sealed: string, boundTo?: string): string;
};

type Key = { kid: string; key: Buffer };

function deriveKey(secret: string): Key {
  const key = Buffer.from(hkdfSync('sha256', secret, 'vigil', INFO, 32));
  // The key id names the key without revealing it: a hash of the derived key, 8 characters.
  const kid = createHash('sha256').update(key).digest('base64url').slice(0, 8);
  return { kid, key };
}

const aad = (kid: string, boundTo: string | undefined) => Buffer.from(boundTo === undefined ? `${VERSION}:${kid}` : `${VERSION}:${kid}:${boundTo}`);

/** `secrets[0]` seals; every secret in the list opens what it sealed (rotation). */
export function createSecretBox(secrets: readonly string[]): SecretBox {
  const keys = secrets.map(deriveKey);
  const current = keys[0];
  if (!current) throw new Error('secret-box needs at least one secret');
  const byKid = new Map(keys.map((k) => [k.kid, k.key]));
  return {
    seal(plaintext, boundTo) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv, GCM);
      cipher.setAAD(aad(current.kid, boundTo));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const b = (x: Buffer) => x.toString('base64url');
      return [VERSION, current.kid, b(iv), b(ct), b(cipher.getAuthTag())].join(':');
    },
    open(sealed, boundTo) {
      const [version, kid, iv, ct, tag, extra] = sealed.split(':');
      if (version !== VERSION || !kid || !iv || ct === undefined || !tag || extra !== undefined) {
        throw new Error('secret-box: malformed sealed value');
      }
      const key = byKid.get(kid);
      if (!key) throw new Error('secret-box: unknown key id');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), GCM);
      decipher.setAAD(aad(kid, boundTo));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

export type SealingConfig = { sealingSecret: string | undefined; sealingSecretsPrevious: readonly string[] };

const boxes = new Map<string, SecretBox>();

/**
 * The process's box for its configured key material (SEALING_SECRET, then SEALING_SECRET_PREVIOUS;
 * see src/config.ts), built once. Only processes given SEALING_SECRET have one: the internal API
 * (seals), the checker (opens monitor credentials) and the notifier (opens webhook secrets).
 */
export function secretBoxFor(config: SealingConfig): SecretBox {
  if (!config.sealingSecret) {
    throw new Error('SEALING_SECRET is required in this process to seal or open secrets (config role api, checker or notifier)');
  }
  const secrets = [config.sealingSecret, ...config.sealingSecretsPrevious];
  const id = secrets.join('\n');
  let box = boxes.get(id);
  if (!box) boxes.set(id, (box = createSecretBox(secrets)));
  return box;
}
