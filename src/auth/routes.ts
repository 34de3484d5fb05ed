import { Hono, type Context } from 'hono';
import { readJson } from '../http/errors.js';
import type { ApiServices } from '../services.js';
import { clearedSessionCookie, sessionCookie } from './cookies.js';
import { credentialsSchema, type Credentials } from './schemas.js';
import { login, register, toPublicUser, type SignedIn } from './service.js';

type SignInAction = (svc: ApiServices, credentials: Credentials) => Promise<SignedIn>;

/** Plain REST twins of auth.register/login/logout for clients that do not speak tRPC; errors go to the door's onError. */
export function authRoutes(svc: ApiServices): Hono {
  const signIn = (action: SignInAction, status: 200 | 201) => async (c: Context) => {
    const { user, token } = await action(svc, credentialsSchema.parse(await readJson(c)));
    c.header('Set-Cookie', sessionCookie(token));
    return c.json({ user: toPublicUser(user) }, status);
  };
  return new Hono()
    .post('/register', signIn(register, 201))
    .post('/login', signIn(login, 200))
    .post('/logout', (c) => {
      c.header('Set-Cookie', clearedSessionCookie());
      return c.json({ ok: true });
    });
}
