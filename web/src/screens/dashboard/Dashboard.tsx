import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ProblemNotice } from '../../ui/Problem';

type MonitorList = Awaited<ReturnType<typeof api.monitors.list.query>>;
type Monitor = MonitorList['items'][number];
type Status = Monitor['status'];

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
                    <strong>{m.name}</strong>
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

const STATUS: Record<Status, { symbol: string; word: string }> = {
  up: { symbol: '●', word: 'Up' },
  down: { symbol: '▲', word: 'Down' },
  degraded: { symbol: '◆', word: 'Degraded' },
  pending: { symbol: '○', word: 'Pending' },
  paused: { symbol: '‖', word: 'Paused' },
  maintenance: { symbol: '◐', word: 'Maintenance' },
};

const KIND: Record<Monitor['kind'], string> = { http: 'HTTP', tcp: 'TCP', heartbeat: 'Heartbeat' };

function StatusLabel({ status }: { status: Status }) {
  const { symbol, word } = STATUS[status];
  return (
    <span className={`status status-${status}`}>
      <span aria-hidden="true">{symbol}</span>
      {word}
    </span>
  );
}

function targetOf(m: Monitor): string {
  if (m.kind === 'tcp') return `${m.host ?? ''}:${m.port ?? ''}`;
  if (m.kind === 'heartbeat') return `expects a ping every ${Math.round(m.intervalSeconds / 60)} min`;
  return m.url ?? '';
}

/** The API's uptime is already a percentage (SLA-true; null when nothing was observed). */
function percent(value: number | null): string {
  return value === null ? '—' : `${Number(value.toFixed(2))} %`;
}

function ago(iso: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return new Date(iso).toLocaleString();
}
