import { MutationCache, QueryCache, QueryClient, queryOptions } from '@tanstack/react-query';
import { api } from './client';
import { setConnection } from './connection';
import { isTransient, toProblem, type Problem } from './errors';

/** Where the app goes when the API says the session is gone; set by the router (router.tsx). */
let onSignedOut: (() => void) | undefined;
export function whenSignedOut(go: () => void): void {
  onSignedOut = go;
}

/** A transient failure (offline, 503) is said in the banner at once, with when the app tries again. */
function sayTransient(problem: Problem, failures = 0): boolean {
  if (!isTransient(problem)) return false;
  setConnection({ state: problem.kind as 'offline' | 'unavailable', retryAt: Date.now() + retryDelayOf(problem, failures) });
  return true;
}

function seen(error: unknown): Problem {
  const problem = toProblem(error);
  if (!sayTransient(problem) && problem.kind === 'unauthenticated') onSignedOut?.();
  return problem;
}

/** The wait before the next try: what the API asked for (`retryAfterSeconds`), or a backoff up to 30 s. */
function retryDelayOf(problem: Problem, failures: number): number {
  const after = 'retryAfterSeconds' in problem ? problem.retryAfterSeconds * 1000 : 0;
  return Math.max(after, Math.min(30_000, 1000 * 2 ** failures));
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: seen, onSuccess: () => setConnection({ state: 'ok' }) }),
  mutationCache: new MutationCache({ onError: seen, onSuccess: () => setConnection({ state: 'ok' }) }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A lost connection or a 503 is retried, and the banner says so from the first failure (the
      // cache's onError comes only after the last try); anything else is an answer.
      retry: (count, error) => sayTransient(toProblem(error), count) && count < 20,
      retryDelay: (count, error) => retryDelayOf(toProblem(error), count),
    },
    mutations: { retry: false },
  },
});

/** The signed-in user and their accounts; a 401 here means "not signed in". */
/** The account's plan and usage: the plan screen, and the SMS allowance beside the contacts. */
export const usageQuery = queryOptions({ queryKey: ['account', 'usage'], queryFn: () => api.account.usage.query() });

export const meQuery = queryOptions({
  queryKey: ['auth', 'me'],
  queryFn: () => api.auth.me.query(),
  staleTime: 60_000,
  retry: false,
});
