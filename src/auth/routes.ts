import { Hono, type Context } from 'hono';
import { clientIp } from '../http/client-ip.js';
import { errorResponse, readJson } from '../http/errors.js';
import type { Services } from '../services.js';
import { clearedSessionCookie, sessionCookie } from './cookies.js';
import { credentialsSchema, type Credentials } from './schemas.js';
import { login, register, toPublicUser, type SignedIn } from './service.js';

type SignInAction = (svc: Services, credentials: Credentials, ip: string) => Promise<SignedIn>;

/** Plain REST twins of auth.register/login/logout for clients that do not speak tRPC. */
export function authRoutes(svc: Services): Hono {
  const signIn = (action: SignInAction, status: 200 | 201) => async (c: Context) => {
    try {
      const { user, token } = await action(svc, credentialsSchema.parse(await readJson(c)), clientIp(c));
      c.header('Set-Cookie', sessionCookie(token));
      return c.json({ user: toPublicUser(user) }, status);
    } catch (error) {
      return errorResponse(c, svc, error);
    }
  };
  return new Hono()
    .post('/register', signIn(register, 201))
    .post('/login', signIn(login, 200))
    .post('/logout', (c) => {
      c.header('Set-Cookie', clearedSessionCookie());
      return c.json({ ok: true });
    });
}
