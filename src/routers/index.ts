import { router } from '../trpc.js';
import { authRouter } from './auth.js';

/** The internal API the SPA calls at /internal. */
export const appRouter = router({
  auth: authRouter,
});

export type AppRouter = typeof appRouter;
