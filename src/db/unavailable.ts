import { AppError, unavailable } from '../domain/errors.js';

/**
 * Failures of the database's availability (closed or unreachable, locked past busy_timeout, out
 * of disk) as opposed to bugs: a client should retry these, so they are 503 with Retry-After, not
 * 500. Drizzle wraps the driver's error, so the whole cause chain is read.
 */
const UNAVAILABLE_CODE = /^(CLIENT_CLOSED|SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PROTOCOL)|SERVER_ERROR|HRANA_|HTTP_|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR)/;

export const DATABASE_RETRY_AFTER_SECONDS = 2;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODE.test(code)) return true;
    // libSQL's HTTP client surfaces an unreachable server as undici's "fetch failed".
    if (name === 'TypeError' && message === 'fetch failed') return true;
  }
  return false;
}

export const UNAVAILABLE_MESSAGE = 'the service is temporarily unavailable; try again in a moment';

export function databaseUnavailable(): AppError {
  return unavailable(UNAVAILABLE_MESSAGE, DATABASE_RETRY_AFTER_SECONDS);
}
