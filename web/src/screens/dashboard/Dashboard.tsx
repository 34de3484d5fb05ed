import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useId } from 'react';
import { toProblem } from '../../api/errors';
import { ProblemNotice } from '../../ui/Problem';
import { ago, KIND, percent, STATUS, StatusLabel, targetOf, type Monitor } from '../../ui/monitor-format';
import { useLiveMonitors } from './live-monitors';
import type { DashboardSearch } from './search';

/**
 * Every monitor with its state in words and a symbol (never colour alone), filtered by tag, status
 * and search (kept in the address), a page of 100 at a time. Kept live by the change feed
 * (live-monitors.ts): a check's result shows within seconds without a reload.
 */
export function Dashboard() {
  const filters = useSearch({ from: '/app/' });
  const monitors = useLiveMonitors(filters);
  const items = monitors.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.keys(filters).length > 0;
  return (
    <section aria-labelledby="monitors-heading">
      <h1 id="monitors-heading">Monitors</h1>
      {(filtered || items.length > 0) && <Filters filters={filters} tags={tagsOf(items)} />}
      {monitors.isError && <ProblemNotice problem={toProblem(monitors.error)} />}
      {monitors.isPending && <p aria-busy="true">Loading your monitors…</p>}
      {monitors.data &&
        (items.length === 0 ? (
          filtered ? (
            <div className="empty">
              <p>No monitor matches these filters.</p>
              <p>
                <Link to="/" search={{}}>
                  Show every monitor
                </Link>
              </p>
            </div>
          ) : (
            <div className="empty">
              <p>No monitors yet. A monitor checks a site, an API, a server port or a cron job on a schedule and tells you when it goes down.</p>
              <p>
                <Link to="/monitors/new" className="button primary">
                  Add your first monitor
                </Link>
              </p>
            </div>
          )
        ) : (
          <>
            <MonitorTable items={items} />
            <p className="paging" aria-live="polite">
              {monitors.hasNextPage ? `Showing the first ${items.length} monitors.` : `${items.length} ${items.length === 1 ? 'monitor' : 'monitors'}.`}{' '}
              {monitors.hasNextPage && (
                <button type="button" disabled={monitors.isFetchingNextPage} onClick={() => void monitors.fetchNextPage()}>
                  {monitors.isFetchingNextPage ? 'Loading…' : 'Show more monitors'}
                </button>
              )}
            </p>
          </>
        ))}
    </section>
  );
}

function tagsOf(items: readonly Monitor[]): string[] {
  return [...new Set(items.flatMap((m) => m.tags))].sort();
}

/** Each change replaces the address (no history entry per keystroke); the list follows the address. */
function Filters({ filters, tags }: { filters: DashboardSearch; tags: string[] }) {
  const navigate = useNavigate({ from: '/' });
  const id = useId();
  const set = (patch: Partial<DashboardSearch>) =>
    void navigate({ search: (prev: DashboardSearch) => ({ ...prev, ...patch }), replace: true });
  return (
    <form className="filters" role="search" aria-label="Filter monitors" onSubmit={(e) => e.preventDefault()}>
      <div className="filter">
      <label htmlFor={`${id}-search`}>Search</label>
      <input
        id={`${id}-search`}
        type="search"
        placeholder="Name or URL"
        defaultValue={filters.search ?? ''}
        onChange={(e) => set({ search: e.currentTarget.value.trim() || undefined })}
      />
      </div>
      <div className="filter">
      <label htmlFor={`${id}-status`}>Status</label>
      <select id={`${id}-status`} value={filters.status ?? ''} onChange={(e) => set({ status: (e.currentTarget.value || undefined) as DashboardSearch['status'] })}>
        <option value="">Any</option>
        {Object.entries(STATUS).map(([value, { word }]) => (
          <option key={value} value={value}>
            {word}
          </option>
        ))}
      </select>
      </div>
      <div className="filter">
      <label htmlFor={`${id}-tag`}>Tag</label>
      <select id={`${id}-tag`} value={filters.tag ?? ''} onChange={(e) => set({ tag: e.currentTarget.value || undefined })}>
        <option value="">Any</option>
        {[...new Set([...tags, ...(filters.tag ? [filters.tag] : [])])].map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      </div>
    </form>
  );
}

function MonitorTable({ items }: { items: readonly Monitor[] }) {
  return (
    <table className="monitors">
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Monitor</th>
          <th scope="col">Last check</th>
          <th scope="col" className="num">
            Response
          </th>
          <th scope="col" className="num">
            Uptime 24 h
          </th>
          <th scope="col" className="num">
            Uptime 30 d
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((m) => (
          <tr key={m.id}>
            <td>
              <StatusLabel status={m.status} />
            </td>
            <td>
              <Link to="/monitors/$monitorId" params={{ monitorId: m.id }}>
                <strong>{m.name}</strong>
              </Link>
              <div className="target">
                {KIND[m.kind]} · {targetOf(m)}
                {m.tags.length > 0 && <> · {m.tags.map((t) => `#${t}`).join(' ')}</>}
              </div>
            </td>
            <td data-label="Last check">{m.lastCheckedAt ? <time dateTime={m.lastCheckedAt}>{ago(m.lastCheckedAt)}</time> : 'not yet'}</td>
            <td className="num" data-label="Response">
              {m.lastResponseTimeMs === null ? '—' : `${m.lastResponseTimeMs} ms`}
            </td>
            <td className="num" data-label="Uptime 24 h">
              {percent(m.uptime24h)}
            </td>
            <td className="num" data-label="Uptime 30 d">
              {percent(m.uptime30d)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
