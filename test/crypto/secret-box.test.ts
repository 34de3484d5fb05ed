import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/crypto/secret-box.js';

const OLD = 'old-secret-material-that-is-32-bytes-long!!';
const NEW = 'new-secret-material-that-is-32-bytes-long!!';

describe('secret-box (AES-256-GCM, HKDF key with a key id)', () => {
  it('seals to v1:<kid>:<iv>:<ct>:<tag> and opens it again; the same plaintext never seals the same twice', () => {
    const box = createSecretBox([NEW]);
    const a = box.seal('Bearer abc');
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]{8}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+:[A-Za-z0-9_-]{22}$/);
    expect(box.seal('Bearer abc')).not.toBe(a);
    expect(box.open(a)).toBe('Bearer abc');
    expect(a).not.toContain('abc');
  });

  it('rotates: a new secret seals, the old one still opens what it sealed', () => {
    const sealedBefore = createSecretBox([OLD]).seal('Basic b3BzOnB3');
    const rotated = createSecretBox([NEW, OLD]);
    expect(rotated.open(sealedBefore)).toBe('Basic b3BzOnB3');
    expect(rotated.seal('x').split(':')[1]).not.toBe(sealedBefore.split(':')[1]);
    expect(() => createSecretBox([NEW]).open(sealedBefore)).toThrow(/unknown key id/);
  });

  it('refuses tampered or malformed values', () => {
    const box = createSecretBox([NEW]);
    const [v, kid, iv, ct, tag] = box.seal('secret value').split(':') as [string, string, string, string, string];
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open([v, kid, iv, flipped.toString('base64url'), tag].join(':'))).toThrow();
    expect(() => box.open(['v2', kid, iv, ct, tag].join(':'))).toThrow(/malformed/);
    expect(() => box.open('plain text')).toThrow(/malformed/);
  });

  it('refuses a value whose GCM tag was cut short: only a whole 16-byte tag opens', () => {
    const box = createSecretBox([NEW]);
    const [v, kid, iv, ct, tag] = box.seal('Bearer sk_live_1').split(':') as [string, string, string, string, string];
    // A 4-byte tag leaves 2^32 forgeries to try; GCM accepts one unless the length is pinned.
    for (const bytes of [4, 8, 12, 15]) {
      const short = Buffer.from(tag, 'base64url').subarray(0, bytes).toString('base64url');
      expect(() => box.open([v, kid, iv, ct, short].join(':')), `${bytes}-byte tag`).toThrow();
    }
    expect(box.open([v, kid, iv, ct, tag].join(':'))).toBe('Bearer sk_live_1');
  });
});
