import type { MiddlewareHandler } from 'hono';
import { SESSION_COOKIE } from '../auth/cookies.js';

/**
 * RFC 9110 §15.5.2: a 401 carries WWW-Authenticate, saying how to authenticate. A session cookie has
 * no registered scheme; this is the Cookie scheme of draft-broyer-http-cookie-auth, which names
 * where to sign in and the cookie that results.
 */
export const SESSION_CHALLENGE = `Cookie realm="vigil", form-action="/auth/login", cookie-name="${SESSION_COOKIE}"`;

/** Every 401 of the SPA's doors, whoever answered it (a procedure, the shell, a REST route), says so. */
export const sessionChallenge: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status === 401 && !c.res.headers.has('WWW-Authenticate')) c.res.headers.set('WWW-Authenticate', SESSION_CHALLENGE);
};
