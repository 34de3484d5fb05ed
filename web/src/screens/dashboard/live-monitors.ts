import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { DashboardSearch } from './search';

type ListPage = Awaited<ReturnType<typeof api.monitors.list.query>>;
type Changes = Awaited<ReturnType<typeof api.monitors.changes.query>>;
type Listed = ListPage['items'][number];

/** A page of the list: 5 pages hold 500 monitors. */
export const PAGE_SIZE = 100;
/** A check's result shows within this (plus the request), while the tab is visible. */
export const POLL_MS = 5_000;
/** Uptime figures drift with time alone, and the plan can change: the loaded pages are read again this often. */
const RELOAD_MS = 10 * 60_000;

/**
 * The dashboard's monitors, kept live cheaply: the pages are read once (and again every few
 * minutes), and every few seconds only `monitors.changes` after the pages' cursor is asked for —
 * a few bytes when nothing changed, however many monitors — and merged into the pages in place.
 * TanStack Query polls only while the tab is visible.
 */
export function useLiveMonitors(filters: DashboardSearch) {
  const queryClient = useQueryClient();
  const listKey = ['monitors', 'list', filters] as const;
  const list = useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam }) => api.monitors.list.query({ limit: PAGE_SIZE, cursor: pageParam, ...filters }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: RELOAD_MS,
    refetchInterval: RELOAD_MS,
    // A new filter keeps the rows in view until its own arrive.
    placeholderData: keepPreviousData,
  });
  const since = list.data ? oldestCursor(list.data.pages) : null;
  useQuery({
    queryKey: ['monitors', 'changes', filters, since],
    enabled: since !== null && !list.isPlaceholderData,
    refetchInterval: POLL_MS,
    staleTime: 0,
    gcTime: 0,
    queryFn: async () => {
      const changes = await api.monitors.changes.query({ since: since!, ...filters });
      if (changes.reset) await queryClient.invalidateQueries({ queryKey: listKey });
      else if (changes.cursor !== since) queryClient.setQueryData<InfiniteData<ListPage, string | null>>(listKey, (data) => data && merge(data, changes));
      return changes.cursor;
    },
  });
  return list;
}

/**
 * Pages read at different times: the feed starts from the oldest, so nothing is missed (a repeat is
 * harmless). A cursor is "changes.checks", two counters that only grow together.
 */
function oldestCursor(pages: readonly ListPage[]): string | null {
  const parts = (c: string) => c.split('.').map(Number);
  const older = (a: string, b: string) => {
    const [x, y] = [parts(a), parts(b)];
    return x[0]! < y[0]! || (x[0] === y[0] && (x[1] ?? 0) < (y[1] ?? 0));
  };
  return pages.reduce<string | null>((min, p) => (min === null || older(p.changesCursor, min) ? p.changesCursor : min), null);
}

const before = (a: Listed, b: Listed) => a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);

/**
 * The changes merged into the loaded pages: changed monitors replaced where they are, gone ones
 * dropped, new ones put in the list's order when they fall within what is loaded (later ones come
 * with the next page), and every page's cursor moved on.
 */
export function merge(data: InfiniteData<ListPage, string | null>, changes: Changes): InfiniteData<ListPage, string | null> {
  const gone = new Set(changes.goneIds);
  const changed = new Map(changes.items.map((m) => [m.id, m]));
  const pages = data.pages.map((page) => {
    const items = page.items.filter((m) => !gone.has(m.id)).map((m) => changed.get(m.id) ?? m);
    for (const m of items) changed.delete(m.id);
    return { ...page, items, changesCursor: changes.cursor };
  });
  const everything = pages.at(-1)?.nextCursor === null;
  for (const m of changed.values()) {
    const page = pages.find((p) => p.items.some((other) => before(m, other))) ?? (everything ? pages.at(-1) : undefined);
    if (!page) continue;
    const at = page.items.findIndex((other) => before(m, other));
    page.items.splice(at === -1 ? page.items.length : at, 0, m);
  }
  return { ...data, pages };
}
