/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the order. Reconcile reads
 * one schedule per monitor: one at a time is what made it too slow past ~12k monitors, and all at
 * once would run into the API's rate quota.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
