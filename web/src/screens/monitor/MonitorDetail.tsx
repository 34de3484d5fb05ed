import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ProblemNotice } from '../../ui/Problem';
import { useCursorPages } from '../../ui/useCursorPages';
import { ago, alerting, KIND, percent, StatusLabel, targetOf } from '../../ui/monitor-format';
import { PingUrl } from './PingUrl';
import { Regions } from './Regions';
import { ResponseChart } from './ResponseChart';
import { UptimeBars } from './UptimeBars';

/** Read again every few seconds while the tab is visible, like the dashboard. */
const POLL_MS = 5_000;

/** Incidents come ten at a time, newest first. */
const INCIDENTS_PAGE = 10;

/**
 * One monitor: its state, uptime over 24 h / 7 d / 30 d / 90 d, its response-time chart and
 * 90-day bars (read again when a check lands), recent checks and incidents (paged), a heartbeat's
 * ping URL, and check now, pause/resume and delete (asked twice). What only editors may do is
 * refused by the server with a message shown here; a check asked too soon says when it may be.
 */
export function MonitorDetail() {
  const { monitorId: id } = useParams({ from: '/app/monitors/$monitorId' });
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const problemRef = useRef<HTMLDivElement>(null);
  const monitor = useQuery({ queryKey: ['monitors', 'get', id], queryFn: () => api.monitors.get.query({ id }), refetchInterval: POLL_MS });
  const checks = useQuery({ queryKey: ['monitors', 'checks', id], queryFn: () => api.monitors.checks.query({ id, limit: 20 }), refetchInterval: POLL_MS });
  const incidents = useCursorPages(['monitors', 'incidents', id], (cursor) => api.monitors.incidents.query({ id, limit: INCIDENTS_PAGE, cursor }), { refetchInterval: POLL_MS });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['monitors'] });
  const focusProblem = () => requestAnimationFrame(() => problemRef.current?.focus());
  const checkNow = useMutation({ mutationFn: () => api.monitors.checkNow.mutate({ id }), onError: focusProblem });
  const pause = useMutation({ mutationFn: (paused: boolean) => api.monitors.update.mutate({ id, paused }), onSuccess: refresh, onError: focusProblem });
  const remove = useMutation({
    mutationFn: () => api.monitors.delete.mutate({ id }),
    onSuccess: async () => {
      await refresh();
      await navigate({ to: '/' });
    },
    onError: focusProblem,
  });

  if (monitor.isError) return <ProblemNotice problem={toProblem(monitor.error)} />;
  if (!monitor.data) return <p aria-busy="true">Loading…</p>;
  const m = monitor.data;
  const failed = checkNow.error ?? pause.error ?? remove.error;
  const incidentItems = incidents.items;
  return (
    <section aria-labelledby="monitor-heading">
      <p>
        <Link to="/">← Monitors</Link>
      </p>
      <h1 id="monitor-heading">{m.name}</h1>
      <p>
        <StatusLabel status={m.status} /> {m.statusSince && <>since {new Date(m.statusSince).toLocaleString()}</>}
      </p>
      <p className="target">
        {KIND[m.kind]} · {targetOf(m)} · every {Math.round(m.effectiveIntervalSeconds / 60)} min
        {m.lastReason && m.status !== 'up' && <> · {m.lastReason}</>}
      </p>
      {m.tags.length > 0 && <p className="tags">Tags: {m.tags.join(', ')}</p>}
      <p className="alerting">{alerting(m)}</p>
      <ProblemNotice problem={failed ? toProblem(failed) : null} ref={problemRef} />
      <div className="actions">
        <Link to="/monitors/$monitorId/edit" params={{ monitorId: id }} className="button">
          Edit
        </Link>
        {m.kind !== 'heartbeat' && !m.paused && (
          <button type="button" disabled={checkNow.isPending} onClick={() => checkNow.mutate()}>
            Check now
          </button>
        )}
        <button type="button" disabled={pause.isPending} onClick={() => pause.mutate(!m.paused)}>
          {m.paused ? 'Resume' : 'Pause'}
        </button>
        {confirming ? (
          <>
            <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
              Delete {m.name} and its history
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )}
      </div>

      <h2>Uptime</h2>
      <dl className="figures">
        {[
          ['24 hours', percent(m.uptime24h)],
          ['7 days', percent(m.uptime7d)],
          ['30 days', percent(m.uptime30d)],
          ['90 days', percent(m.uptime90d)],
          ['Average response, 24 h', m.avgResponseTimeMs24h === null ? '—' : `${Math.round(m.avgResponseTimeMs24h)} ms`],
        ].map(([term, figure]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{figure}</dd>
          </div>
        ))}
      </dl>

      <p role="status" className="notice">
        {checkNow.isSuccess && !checkNow.isPending ? 'Check requested: its result shows here in a few seconds.' : ''}
      </p>

      {m.kind === 'heartbeat' && <PingUrl id={m.id} />}
      <ResponseChart id={m.id} version={m.lastCheckedAt} />
      <Regions monitor={m} />
      <UptimeBars id={m.id} version={m.lastCheckedAt} />

      <h2>Incidents</h2>
      {incidents.data && incidentItems.length === 0 && <p>No incidents.</p>}
      {incidentItems.length > 0 && (
        <ul className="incidents">
          {incidentItems.map((i) => (
            <li key={i.id}>
              <strong>{i.open ? 'Ongoing' : i.closedBy === 'paused' ? 'Closed by a pause' : 'Resolved'}</strong> · started {new Date(i.startedAt).toLocaleString()} · {i.reason}
              {i.resolvedAt && <> · lasted {Math.max(1, Math.round(i.durationSeconds / 60))} min</>}
            </li>
          ))}
        </ul>
      )}
      {incidents.hasNextPage && (
        <p>
          <button type="button" disabled={incidents.isFetchingNextPage} onClick={() => void incidents.fetchNextPage()}>
            {incidents.isFetchingNextPage ? 'Loading…' : 'Show older incidents'}
          </button>
        </p>
      )}

      <h2 id="checks-heading">Recent checks</h2>
      {checks.data && checks.data.items.length === 0 && <p>Not checked yet.</p>}
      {checks.data && checks.data.items.length > 0 && (
        <table className="monitors" aria-labelledby="checks-heading">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Result</th>
              <th scope="col" className="num">
                Response
              </th>
            </tr>
          </thead>
          <tbody>
            {checks.data.items.map((c) => (
              <tr key={c.checkedAt}>
                <td>
                  <time dateTime={c.checkedAt}>{ago(c.checkedAt)}</time>
                </td>
                <td>{c.ok ? `OK${c.statusCode ? ` (${c.statusCode})` : ''}` : `Failed: ${c.reason ?? 'unknown'}`}</td>
                <td className="num">{c.responseTimeMs === null ? '—' : `${c.responseTimeMs} ms`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
