import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

type Monitor = Awaited<ReturnType<typeof api.monitors.get.query>>;

const STATE_WORDS = { up: '✓ Up', down: '✕ Failing', unknown: '? No answer' } as const;

/**
 * A monitor checked from several regions: what each said at the last check (a failing region named
 * with its reason, a silent one said so) and its latency over 24 hours, read from the per-region
 * rollups, never the raw checks. Nothing for a monitor checked from home alone.
 */
export function Regions({ monitor: m }: { monitor: Monitor }) {
  const latency = useQuery({
    queryKey: ['monitors', 'regionLatency', m.id, m.lastCheckedAt],
    queryFn: () => api.monitors.regionLatency.query({ id: m.id, range: '24h' }),
    enabled: m.effectiveRegions !== null,
  });
  if (!m.effectiveRegions) return null;
  const last = new Map((m.lastRegions ?? []).map((r) => [r.region, r]));
  const mean = new Map((latency.data?.regions ?? []).map((r) => [r.region, r]));
  const failing = (m.lastRegions ?? []).filter((r) => r.state === 'down');
  return (
    <>
      <h2 id="regions-heading">Regions</h2>
      <p>
        Checked from {m.effectiveRegions.length} regions; down when {m.effectiveFailureQuorum} of them fail
        {m.failureQuorum === null ? ' (a majority)' : ''}. Fewer failing regions show it degraded, and page no one.
      </p>
      {m.status === 'degraded' && failing.length > 0 && (
        <p className="notice" role="status">
          Failing in {failing.map((r) => `${r.region} (${r.reason ?? 'failed'})`).join(', ')}.
        </p>
      )}
      <table className="monitors" aria-labelledby="regions-heading">
        <thead>
          <tr>
            <th scope="col">Region</th>
            <th scope="col">Last check</th>
            <th scope="col" className="num">
              Response
            </th>
            <th scope="col" className="num">
              Average, 24 h
            </th>
          </tr>
        </thead>
        <tbody>
          {m.effectiveRegions.map((region, i) => {
            const r = last.get(region);
            const avg = mean.get(region)?.avgResponseTimeMs ?? null;
            return (
              <tr key={region}>
                <th scope="row">
                  {region}
                  {i === 0 ? ' (home)' : ''}
                </th>
                <td>{r ? `${STATE_WORDS[r.state]}${r.state !== 'up' && r.reason ? `: ${r.reason}` : ''}` : 'Not checked yet'}</td>
                <td className="num">{r?.responseTimeMs == null ? '—' : `${r.responseTimeMs} ms`}</td>
                <td className="num">{avg === null ? '—' : `${avg} ms`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
