/**
 * A partner's integration, written only from openapi.json: `openapi-typescript` generated
 * schema.d.ts, and `openapi-fetch` makes typed calls. `npm test` type-checks this file and
 * test/public/openapi.test.ts runs it against a real server; main.ts is its command line
 * (`npm run example:partner`, README.md).
 *
 * Regenerate the types with `npm run openapi` (or `npx openapi-typescript openapi.json -o schema.d.ts`).
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type Monitor = components['schemas']['Monitor'];

/** OAuth 2.0 client credentials (RFC 6749 §4.4) with HTTP Basic client authentication. */
export async function getAccessToken(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  const res = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'monitors:read' }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${body.error ?? ''}`);
  return body.access_token;
}

export function vigilClient(baseUrl: string, accessToken: string) {
  return createClient<paths>({ baseUrl: `${baseUrl}/api/v1`, headers: { authorization: `Bearer ${accessToken}` } });
}

/** Every monitor of the account (or those in `status`), following nextCursor through every page. */
export async function allMonitors(api: ReturnType<typeof vigilClient>, status?: Monitor['status']): Promise<Monitor[]> {
  const found: Monitor[] = [];
  let cursor: string | undefined;
  do {
    const { data, error } = await api.GET('/monitors', { params: { query: { limit: 100, cursor, ...(status ? { status } : {}) } } });
    if (error) throw new Error(`listing monitors failed: ${error.message}`);
    found.push(...data.items);
    cursor = data.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/** Every monitor that is down. */
export async function downMonitors(baseUrl: string, clientId: string, clientSecret: string): Promise<Monitor[]> {
  return allMonitors(vigilClient(baseUrl, await getAccessToken(baseUrl, clientId, clientSecret)), 'down');
}

/** One monitor's 30-day uptime, the figure a status widget shows. */
export async function uptime30d(baseUrl: string, accessToken: string, id: string): Promise<number | null> {
  const { data, error } = await vigilClient(baseUrl, accessToken).GET('/monitors/{id}', { params: { path: { id } } });
  if (error) throw new Error(`monitor ${id}: ${error.message}`);
  return data.uptime30d;
}
