import { badInput } from './errors.js';

/**
 * Opaque keyset cursors: the (time, key) position of the last row of a page. Clients pass them back
 * unchanged; anything that does not decode is a 400, not a 500.
 */
export function encodeCursor(t: number, key: string | number): string {
  return Buffer.from(`${t}:${key}`).toString('base64url');
}

export function decodeCursor(cursor: string, keyPattern: RegExp): { t: number; key: string } {
  const [t, key, extra] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!t || !key || extra !== undefined || !/^\d{1,15}$/.test(t) || !keyPattern.test(key)) {
    throw badInput('cursor', 'invalid cursor');
  }
  return { t: Number(t), key };
}
