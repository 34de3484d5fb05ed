/** Calls one batched request may carry: what a page's first render needs, far below abuse. */
export const MAX_BATCH_CALLS = 10;

/**
 * Why a tRPC request must be refused before it runs, or null. One HTTP request must not do the
 * work of hundreds of sign-ins or registrations, so auth.* procedures travel alone, and a batch
 * holds at most MAX_BATCH_CALLS calls.
 */
export function batchProblem(pathname: string, isBatch: boolean): string | null {
  if (!isBatch) return null;
  const paths = procedurePaths(pathname);
  if (paths.length > MAX_BATCH_CALLS) return `a batch holds at most ${MAX_BATCH_CALLS} calls; this one has ${paths.length}`;
  if (paths.length > 1 && paths.some((p) => p.startsWith('auth.'))) return 'auth procedures cannot be batched; send each on its own';
  return null;
}

/** "/internal/a.b,c.d" → ["a.b", "c.d"], as tRPC's fetch adapter splits it. */
export function procedurePaths(pathname: string): string[] {
  const rest = pathname.replace(/^\/internal\/?/, '');
  try {
    return decodeURIComponent(rest).split(',');
  } catch {
    return rest.split(',');
  }
}

/** The error tRPC itself answers a bad request with, once per call, so a batching client reads each. */
export function batchErrorBody(pathname: string, message: string) {
  return procedurePaths(pathname).map((path) => ({
    error: { message, code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400, path } },
  }));
}
