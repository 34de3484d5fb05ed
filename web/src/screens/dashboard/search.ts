import type { Monitor } from '../../ui/monitor-format';

/**
 * The dashboard's filters, kept in the address (`/?status=down&tag=api&search=shop`) so a filtered
 * view can be reloaded, shared and gone back to. Anything else in the address is dropped. Small
 * and outside the screen's chunk: the router reads it before the screen loads.
 */
export type DashboardSearch = { tag?: string; status?: Monitor['status']; search?: string };

const STATUSES: readonly string[] = ['up', 'down', 'degraded', 'pending', 'paused', 'maintenance'] satisfies Monitor['status'][];

const text = (value: unknown, max: number) => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : undefined);

export function dashboardSearch(search: Record<string, unknown>): DashboardSearch {
  const tag = text(search.tag, 32);
  const status = typeof search.status === 'string' && STATUSES.includes(search.status) ? (search.status as Monitor['status']) : undefined;
  const term = text(search.search, 100);
  return { ...(tag ? { tag } : {}), ...(status ? { status } : {}), ...(term ? { search: term } : {}) };
}
