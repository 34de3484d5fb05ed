import * as z from 'zod';
import type { IdPrefix } from './ids.js';

/**
 * An id as input, e.g. idInput('mon', 'monitor'): its prefix and [a-z0-9], else a message naming
 * the kind. Apart from ids.ts so that the workers, which only mint ids, bundle no zod schema.
 */
export function idInput(prefix: IdPrefix, what: string) {
  return z.string().regex(new RegExp(`^${prefix}_[a-z0-9]{1,64}$`), `must be a ${what} id (${prefix}_…)`);
}
