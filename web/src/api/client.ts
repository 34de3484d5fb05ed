import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
import type { AppRouter } from '../../../src/spa-router';

/** The server refuses batches of more than this many calls (src/internal/batch-guard.ts). */
const MAX_BATCH_CALLS = 10;
const url = '/internal';

/**
 * The one tRPC client. Same origin, so the SameSite=Strict session cookie and the Origin check hold
 * as they are; auth.* go alone because the server refuses them in a batch.
 */
export const api = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.path.startsWith('auth.'),
      true: httpLink({ url }),
      false: httpBatchLink({ url, maxItems: MAX_BATCH_CALLS }),
    }),
  ],
});

export type Api = typeof api;
