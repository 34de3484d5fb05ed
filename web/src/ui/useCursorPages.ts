import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';

type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * A list the API pages by cursor, newest first: the first page at once, older ones on request
 * (`fetchNextPage`), and every item read so far in `items`.
 */
export function useCursorPages<T>(
  queryKey: QueryKey,
  page: (cursor: string | null) => Promise<Page<T>>,
  options: { enabled?: boolean; refetchInterval?: number | ((items: T[]) => number) } = {},
) {
  const { refetchInterval } = options;
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => page(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: options.enabled ?? true,
    refetchInterval: typeof refetchInterval === 'function' ? (q) => refetchInterval(q.state.data?.pages.flatMap((p) => p.items) ?? []) : refetchInterval,
  });
  return { ...query, items: query.data?.pages.flatMap((p) => p.items) ?? [] };
}

export type CursorPages<T> = ReturnType<typeof useCursorPages<T>>;
