import type { MiddlewareHandler } from 'hono';
import { AppError } from '../domain/errors.js';
import { trpcShellError } from './shell-errors.js';

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

/**
 * The tRPC door's guard: a refused batch is a 400 in tRPC's error shape, one error per call, before
 * any call runs (so no sign-in of the batch is even counted).
 */
export const batchGuard: MiddlewareHandler = async (c, next) => {
  const problem = batchProblem(c.req.path, c.req.query('batch') === '1');
  if (problem) return trpcShellError(c, new AppError('BAD_INPUT', problem), procedurePaths(c.req.path));
  await next();
};
