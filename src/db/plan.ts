import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from './client.js';

type Statement = BatchItem<'sqlite'>;

/**
 * Statements that can ride in one `db.batch` with others (one round trip; on Turso one HTTP
 * request, one transaction), and what their results mean. Plans that do not depend on each
 * other's rows are joined with `both` and run together: a read and the statements that confirm
 * who asked for it. `finish` may throw (an AppError): the plans after it in a `both`
 * are then never finished, so their rows are discarded.
 */
export type Plan<T> = { statements: readonly Statement[]; finish: (results: readonly unknown[]) => T };

type Results<Q extends readonly Statement[]> = { [K in keyof Q]: Awaited<Q[K]> };

/** A plan from its statements (drizzle builders, not awaited) and what to make of their results. */
export function plan<const Q extends readonly Statement[], T>(statements: Q, finish: (results: Results<Q>) => T): Plan<T> {
  return { statements, finish: (results) => finish(results as Results<Q>) };
}

/** The value of `p`, turned into something else once its statements have run. */
export function mapPlan<A, B>(p: Plan<A>, f: (a: A) => B): Plan<B> {
  return { statements: p.statements, finish: (results) => f(p.finish(results)) };
}

/** Both plans in one batch; `first` is finished first, and if it throws, `second` is never finished. */
export function both<A, B>(first: Plan<A>, second: Plan<B>): Plan<[A, B]> {
  const split = first.statements.length;
  return {
    statements: [...first.statements, ...second.statements],
    finish: (results) => {
      const a = first.finish(results.slice(0, split));
      return [a, second.finish(results.slice(split))];
    },
  };
}

/** Runs a plan in one round trip (none when it has no statement). */
export async function runPlan<T>(db: Db, p: Plan<T>): Promise<T> {
  if (p.statements.length === 0) return p.finish([]);
  const [head, ...rest] = p.statements;
  return p.finish(await db.batch([head!, ...rest]));
}
