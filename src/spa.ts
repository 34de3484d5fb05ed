/**
 * The SPA's contract: `import type { AppRouter } from '…/src/spa'` and call it with @trpc/client.
 * Types only; nothing of the server is bundled into the SPA.
 */
export type { AppRouter } from './routers/index.js';
