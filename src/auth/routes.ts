import { Hono } from 'hono';
import { register } from '../accounts/registration.js';
import { clientIp } from '../http/client-ip.js';
import { errorResponse, readJson } from '../http/errors.js';
import type { Services } from '../services.js';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from './cookies.js';
import { credentialsSchema } from './schemas.js';
import { login, toPublicUser } from './service.js';
import { authenticateSession, requestOrigin, revokeSession } from './sessions.js';

/** Plain REST twins of auth.register/login/logout for clients that do not speak tRPC. */
export function authRoutes(svc: Services): Hono {
  return new Hono()
    .post('/register', async (c) => {
      try {
        return c.json(await register(svc, credentialsSchema.parse(await readJson(c)), clientIp(c)), 202);
      } catch (error) {
        return errorResponse(c, svc, error);
      }
    })
    .post('/login', async (c) => {
      try {
        const credentials = credentialsSchema.parse(await readJson(c));
        const { user, token } = await login(svc, credentials, requestOrigin(clientIp(c), c.req.raw.headers));
        c.header('Set-Cookie', sessionCookie(token));
        return c.json({ user: toPublicUser(user) }, 200);
      } catch (error) {
        return errorResponse(c, svc, error);
      }
    })
    .post('/logout', async (c) => {
      try {
        const user = await authenticateSession(svc, readSessionCookie(c.req.header('cookie')));
        if (user) await revokeSession(svc, user.sessionId);
        c.header('Set-Cookie', clearedSessionCookie());
        return c.json({ ok: true });
      } catch (error) {
        return errorResponse(c, svc, error);
      }
    });
}
