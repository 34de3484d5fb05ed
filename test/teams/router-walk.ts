import type { AnyProcedure } from '@trpc/server';
import type { ProcedureMeta } from '../../src/trpc.js';
import { appRouter } from '../../src/routers/index.js';

export type WalkedProcedure = { path: string; type: 'query' | 'mutation' | 'subscription'; meta: ProcedureMeta | undefined };

/** Every procedure of the internal API, with what it declares: the router itself, not a hand-kept list. */
export function walkAppRouter(): WalkedProcedure[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
  return Object.entries(procedures).map(([path, p]) => ({
    path,
    type: p._def.type,
    meta: p._def.meta as ProcedureMeta | undefined,
  }));
}
