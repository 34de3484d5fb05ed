import { asc, desc, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';

/** What a caller asks of a list: how many rows, and after which position (a cursor the list issued). */
export type PageQuery = { limit: number; cursor?: string | null | undefined };

/** Every list's answer: a page of items, and the cursor of the next page (null on the last). */
export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * How a list is ordered: by a time column, then its id (unique, so no two rows share a position),
 * oldest or newest first. `idPattern` is what an id in a cursor must look like (`numeric`: an
 * integer id, bound as a number so the comparison uses the index); `positionOf` reads a row's
 * (time, id) back for the next cursor.
 */
export type Keyset<Row> = {
  time: AnyColumn;
  id: AnyColumn;
  direction: 'asc' | 'desc';
  idPattern: RegExp;
  numeric?: true;
  positionOf: (row: Row) => readonly [time: number, id: string | number];
};

/** A list's order, declared once beside its query (typed here, so `positionOf` reads the row it gets). */
export const keysetOrder = <Row>(order: Keyset<Row>): Keyset<Row> => order;

/**
 * The one way a list pages: `where` (rows past the cursor, or undefined on the first page),
 * `orderBy` and `limit` go into the caller's query, and `page` turns the rows it fetched into the
 * answer. One row more than the page is fetched to know whether another page follows. A cursor
 * that does not decode is a 400 naming `cursor` (thrown here, before any statement runs).
 */
export function keyset<Row>(order: Keyset<Row>, { limit, cursor }: PageQuery) {
  const at = cursor ? decodeCursor(cursor, order.idPattern) : null;
  const past = order.direction === 'asc' ? sql.raw('>') : sql.raw('<');
  const by = order.direction === 'asc' ? asc : desc;
  return {
    // A row value, so SQLite seeks into the (…, time, id) index instead of walking the rows before it.
    where: at ? (sql`(${order.time}, ${order.id}) ${past} (${at.t}, ${order.numeric ? Number(at.key) : at.key})` as SQL) : undefined,
    orderBy: [by(order.time), by(order.id)] as const,
    /** The page's size, and `limit` the rows to fetch (one more, to know whether another page follows). */
    size: limit,
    limit: limit + 1,
    page<R extends Row, T>(rows: readonly R[], map: (row: R) => T): Page<T> {
      const shown = rows.slice(0, limit);
      const last = shown.at(-1);
      return {
        items: shown.map(map),
        nextCursor: rows.length > limit && last ? encodeCursor(...order.positionOf(last)) : null,
      };
    },
  };
}
