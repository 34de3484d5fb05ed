import { Hono } from 'hono';
import { register } from '../accounts/registration.js';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from '../auth/cookies.js';
import { credentialsSchema } from '../auth/schemas.js';
import { login, toPublicUser } from '../auth/service.js';
import { authenticateSession, requestOrigin, revokeSession } from '../auth/sessions.js';
import { clientIp } from '../http/client-ip.js';
import { readJson } from '../http/errors.js';
import type { ApiServices } from '../services.js';

/** Plain REST twins of auth.register/login/logout for clients that do not speak tRPC; errors go to the door's onError. */
export function authRoutes(svc: ApiServices): Hono {
  return new Hono()
    .post('/register', async (c) => c.json(await register(svc, credentialsSchema.parse(await readJson(c)), clientIp(c)), 202))
    .post('/login', async (c) => {
      const credentials = credentialsSchema.parse(await readJson(c));
      const { user, token } = await login(svc, credentials, requestOrigin(clientIp(c), c.req.raw.headers));
      c.header('Set-Cookie', sessionCookie(token));
      return c.json({ user: toPublicUser(user) }, 200);
    })
    .post('/logout', async (c) => {
      const user = await authenticateSession(svc, readSessionCookie(c.req.header('cookie')));
      if (user) await revokeSession(svc, user.sessionId, { accountId: user.accountId, actorId: user.id, ip: clientIp(c) });
      c.header('Set-Cookie', clearedSessionCookie());
      return c.json({ ok: true });
    });
}
