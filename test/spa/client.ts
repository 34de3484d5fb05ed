// Compiled by `tsc` in `npm test`: the SPA's usage must type-check against the exported router type.
import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
import type { AppRouter } from '../../src/spa.js';

const withCookies = (url: string | URL | Request, options?: unknown) => fetch(url, { ...(options as RequestInit), credentials: 'include' });

export function spaClient(apiUrl: string) {
  return createTRPCClient<AppRouter>({
    links: [
      // The server refuses auth.* in a batch and batches over 10 calls (src/internal/batch-guard.ts).
      splitLink({
        condition: (op) => op.path.startsWith('auth.'),
        true: httpLink({ url: `${apiUrl}/internal`, fetch: withCookies }),
        false: httpBatchLink({ url: `${apiUrl}/internal`, fetch: withCookies, maxItems: 10 }),
      }),
    ],
  });
}

export async function dashboard(apiUrl: string) {
  const api = spaClient(apiUrl);
  const { user } = await api.auth.login.mutate({ email: 'me@example.com', password: 'a long password' });
  const monitors = (await api.monitors.list.query()).items;
  const firstDown: string | undefined = monitors.find((m) => m.status === 'down')?.name;
  const plan: 'free' | 'solo' | 'team' = (await api.account.get.query()).plan;
  // @ts-expect-error: there is no such procedure; the types must say so.
  await api.monitors.explode.mutate();
  // @ts-expect-error: intervalSeconds is a number.
  await api.monitors.create.mutate({ name: 'x', url: 'https://example.com', intervalSeconds: '60' });
  return { email: user.email, firstDown, plan };
}
