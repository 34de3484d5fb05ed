import { MutationCache, QueryCache, QueryClient, queryOptions } from '@tanstack/react-query';
import { api } from './client';
import { setConnection } from './connection';
import { isTransient, toProblem, type Problem } from './errors';

/** Where the app goes when the API says the session is gone; set by the router (router.tsx). */
let onSignedOut: (() => void) | undefined;
export function whenSignedOut(go: () => void): void {
  onSignedOut = go;
}

function seen(error: unknown): Problem {
  const problem = toProblem(error);
  if (problem.kind === 'offline' || problem.kind === 'unavailable') {
    setConnection({ state: problem.kind, retryAt: Date.now() + ('retryAfterSeconds' in problem ? problem.retryAfterSeconds : 5) * 1000 });
  } else if (problem.kind === 'unauthenticated') {
    onSignedOut?.();
  }
  return problem;
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: seen, onSuccess: () => setConnection({ state: 'ok' }) }),
  mutationCache: new MutationCache({ onError: seen, onSuccess: () => setConnection({ state: 'ok' }) }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A lost connection or a 503 is retried (the banner says so); anything else is an answer.
      retry: (count, error) => isTransient(toProblem(error)) && count < 20,
      retryDelay: (count, error) => {
        const p = toProblem(error);
        const after = 'retryAfterSeconds' in p ? p.retryAfterSeconds * 1000 : 0;
        return Math.max(after, Math.min(30_000, 1000 * 2 ** count));
      },
    },
    mutations: { retry: false },
  },
});

/** The signed-in user and their accounts; a 401 here means "not signed in". */
export const meQuery = queryOptions({
  queryKey: ['auth', 'me'],
  queryFn: () => api.auth.me.query(),
  staleTime: 60_000,
  retry: false,
});
