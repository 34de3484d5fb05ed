/**
 * AES-256-GCM for secrets the service must read back (a monitor's basic-auth password or bearer
 * token). Keys are derived with HKDF-SHA-256 from the service's secret material (SEALING_SECRET), each
 * with a key id, so a new secret can seal while older ones still open.
 *
 *   seal(plaintext) → 'v1:<kid>:<iv>:<ct>:<tag>'   (base64url parts, 12-byte random IV)
 *   open(sealed)    → plaintext                     (throws when tampered or the key is unknown)
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const INFO = 'vigil secret-box v1';
const VERSION = 'v1';

export type SecretBox = { seal(plaintext: string): string; open(sealed: string): string };

type Key = { kid: string; key: Buffer };

function deriveKey(secret: string): Key {
  const key = Buffer.from(hkdfSync('sha256', secret, 'vigil', INFO, 32));
  // The key id names the key without revealing it: a hash of the derived key, 8 characters.
  const kid = createHash('sha256').update(key).digest('base64url').slice(0, 8);
  return { kid, key };
}

/** `secrets[0]` seals; every secret in the list opens what it sealed (rotation). */
export function createSecretBox(secrets: readonly string[]): SecretBox {
  const keys = secrets.map(deriveKey);
  const current = keys[0];
  if (!current) throw new Error('secret-box needs at least one secret');
  const byKid = new Map(keys.map((k) => [k.kid, k.key]));
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(`${VERSION}:${current.kid}`));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const b = (x: Buffer) => x.toString('base64url');
      return [VERSION, current.kid, b(iv), b(ct), b(cipher.getAuthTag())].join(':');
    },
    open(sealed) {
      const [version, kid, iv, ct, tag, extra] = sealed.split(':');
      if (version !== VERSION || !kid || !iv || ct === undefined || !tag || extra !== undefined) {
        throw new Error('secret-box: malformed sealed value');
      }
      const key = byKid.get(kid);
      if (!key) throw new Error('secret-box: unknown key id');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`${VERSION}:${kid}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

const boxes = new Map<string, SecretBox>();

/** The process's box for its configured key material (SEALING_SECRET, see src/config.ts), built once. */
export function secretBoxFor(config: { sealingSecrets: readonly string[] }): SecretBox {
  if (config.sealingSecrets.length === 0) throw new Error('SEALING_SECRET is required to seal or open monitor credentials');
  const id = config.sealingSecrets.join('\n');
  let box = boxes.get(id);
  if (!box) boxes.set(id, (box = createSecretBox(config.sealingSecrets)));
  return box;
}
