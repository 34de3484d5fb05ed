import { useSyncExternalStore } from 'react';

/**
 * Whether the API is reachable, as the last calls found it: the layout's banner reads it, and the
 * query client retries transient failures meanwhile (api/query.ts).
 */
export type Connection = { state: 'ok' } | { state: 'offline' | 'unavailable'; retryAt: number };

let current: Connection = { state: 'ok' };
const listeners = new Set<() => void>();

export function setConnection(next: Connection): void {
  if (next.state === current.state && (next.state === 'ok' || (current.state !== 'ok' && current.retryAt === next.retryAt))) return;
  current = next;
  for (const l of listeners) l();
}

export function useConnection(): Connection {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
