import { alphabet, generateRandomString } from 'oslo/crypto';

const ID_ALPHABET = alphabet('a-z', '0-9');

export type IdPrefix = 'acc' | 'usr' | 'mon' | 'inc' | 'cli' | 'lse' | 'mnt' | 'stp' | 'ses' | 'inv' | 'aud' | 'ct' | 'evt' | 'dlv' | 'eml';

/** `mon_` + 24 characters of [a-z0-9]: about 124 random bits, unguessable and not sequential. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${generateRandomString(24, ID_ALPHABET)}`;
}
