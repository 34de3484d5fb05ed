import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ProblemNotice } from '../../ui/Problem';
import { ago, KIND, percent, StatusLabel, targetOf } from '../../ui/monitor-format';


/**
 * Every monitor with its state in words and a symbol (never colour alone). While the tab is
 * visible the list is read again every few seconds, so a check's result shows without a reload;
 * TanStack Query stops polling while the tab is hidden.
 */
const POLL_MS = 5_000;

export function Dashboard() {
  const monitors = useQuery({
    queryKey: ['monitors', 'list'],
    queryFn: () => api.monitors.list.query({ limit: 100 }),
    refetchInterval: POLL_MS,
  });
  return (
    <section aria-labelledby="monitors-heading">
      <h1 id="monitors-heading">Monitors</h1>
      {monitors.isError && <ProblemNotice problem={toProblem(monitors.error)} />}
      {monitors.isPending && <p aria-busy="true">Loading your monitors…</p>}
      {monitors.data &&
        (monitors.data.items.length === 0 ? (
          <div className="empty">
            <p>No monitors yet. A monitor checks a site, an API, a server port or a cron job on a schedule and tells you when it goes down.</p>
            <p>
              <Link to="/monitors/new" className="button primary">
                Add your first monitor
              </Link>
            </p>
          </div>
        ) : (
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
              {monitors.data.items.map((m) => (
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
        ))}
    </section>
  );
}

