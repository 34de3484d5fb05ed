import { createHmac, timingSafeEqual } from 'node:crypto';
import { badInput } from '../domain/errors.js';

type Paged = { limit: number; cursor?: string | null | undefined };

const MAC_CHARS = 22; // 128 bits of HMAC-SHA256, base64url

/**
 * Cursors are opaque: a list hands out its position sealed with an HMAC over the position and the
 * list it belongs to (the procedure, the account, the filters), and takes back only what it sealed.
 * A cursor that was edited, made up, or issued for another list, account, filter or door is a 400
 * naming `cursor`, never a 500 or a page from somewhere else. The page size may change between pages.
 */
export function cursorsFor<I extends Paged>(key: Uint8Array, list: string, input: I) {
  const { limit: _limit, cursor, ...filters } = input;
  const scope = (accountId: string) => `${list}\n${accountId}\n${JSON.stringify(filters)}`;
  const mac = (accountId: string, position: string) =>
    createHmac('sha256', key).update(`${scope(accountId)}\n${position}`).digest('base64url').slice(0, MAC_CHARS);
  return {
    /** The input with the cursor's position, for the account's list; throws a 400 for a cursor it did not seal. */
    query(accountId: string): I {
      if (!cursor) return { ...input, cursor: null };
      const dot = cursor.lastIndexOf('.');
      const position = cursor.slice(0, Math.max(dot, 0));
      const given = Buffer.from(cursor.slice(dot + 1));
      const expected = Buffer.from(mac(accountId, position));
      if (dot < 1 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw badInput('cursor', 'not a cursor of this list: pass nextCursor back unchanged, or leave cursor out for the first page');
      }
      return { ...input, cursor: position };
    },
    /** The page with its next position sealed for the same list. */
    page<P extends { nextCursor: string | null }>(accountId: string, page: P): P {
      return { ...page, nextCursor: page.nextCursor === null ? null : `${page.nextCursor}.${mac(accountId, page.nextCursor)}` };
    },
  };
}
