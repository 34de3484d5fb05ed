import * as z from 'zod';

/**
 * Every list on both doors pages the same way (docs/adr/0011-one-page-shape.md; the doors seal the cursor, src/http/cursors.ts): at most
 * PAGE_LIMIT.max items (PAGE_LIMIT.default when `limit` is left out), and an opaque `cursor`, the
 * previous page's `nextCursor`, for the next page. The answer is `{ items, nextCursor }`.
 */
export const PAGE_LIMIT = { min: 1, max: 100, default: 50 } as const;

const limitDoc = `Page size, ${PAGE_LIMIT.min} to ${PAGE_LIMIT.max} (default ${PAGE_LIMIT.default})`;
const cursorDoc = 'nextCursor of the previous page, unchanged; left out for the first page';
const cursorText = z.string().max(200);

/** The page fields of a JSON input (the internal API). */
export const pageInput = {
  limit: z.number().int().min(PAGE_LIMIT.min).max(PAGE_LIMIT.max).default(PAGE_LIMIT.default).meta({ description: limitDoc }),
  cursor: cursorText.nullish().meta({ description: cursorDoc }),
};

/** The same fields in a query string (the public API): a number arrives as text. */
export const pageQuery = {
  limit: z.coerce.number().int().min(PAGE_LIMIT.min).max(PAGE_LIMIT.max).default(PAGE_LIMIT.default).meta({ description: limitDoc }),
  cursor: cursorText.optional().meta({ description: cursorDoc }),
};

/** A page of `item`, as both doors answer it. */
export const pageOutput = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
