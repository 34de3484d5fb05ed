import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** The largest request body any door reads; a larger one is refused (413) before it is parsed. */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

export const BODY_TOO_LARGE = `request body must be at most ${MAX_REQUEST_BODY_BYTES} bytes`;

/** The body limit, counted as the body arrives (announced or chunked), answering in the door's own shape. */
export function limitBody(tooLarge: (c: Context) => Response): MiddlewareHandler {
  return bodyLimit({ maxSize: MAX_REQUEST_BODY_BYTES, onError: tooLarge });
}
