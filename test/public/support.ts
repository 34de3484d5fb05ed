import { rememberSecret } from '../support/ledger.js';
import type { TestApp } from '../support/harness.js';

export type Credentials = { clientId: string; clientSecret: string };

/** A signed-in SPA user with one API client, as a partner receives it from the app. */
export async function partnerOf(t: TestApp, name = 'partner') {
  const user = await t.signUp();
  const client: Credentials = await user.oauthClients.create.mutate({ name });
  rememberSecret(client.clientSecret);
  return { user, ...client };
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** POST /oauth/token with a form body; `auth: 'basic'` sends the credentials as client_secret_basic. */
export function tokenRequest(
  t: TestApp,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return t.fetch('/oauth/token', {
    method: 'POST',
    origin: null,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
}

export async function accessToken(t: TestApp, c: Credentials): Promise<string> {
  const res = await tokenRequest(t, { grant_type: 'client_credentials' }, { authorization: basic(c.clientId, c.clientSecret) });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  const token = ((await res.json()) as { access_token: string }).access_token;
  rememberSecret(token);
  return token;
}

/** GET under /api/v1 as a partner; no Origin, as a server-to-server client sends none. */
export function api(t: TestApp, path: string, token: string | null, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  return t.fetch(`/api/v1${path}`, { ...init, headers, origin: null });
}
