import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ProblemNotice } from '../../ui/Problem';

type Range = '24h' | '7d' | '30d';
type Point = Awaited<ReturnType<typeof api.monitors.responseTimes.query>>['points'][number];

const RANGES: { value: Range; label: string; per: string }[] = [
  { value: '24h', label: '24 hours', per: 'hour' },
  { value: '7d', label: '7 days', per: 'hour' },
  { value: '30d', label: '30 days', per: 'day' },
];

/**
 * Mean response time per hour or day from the rollups, drawn by uPlot — loaded here, on first
 * draw, so it is a chunk of its own that no other screen downloads — with the same figures in
 * words and in a table for anyone who cannot see the canvas. `version` (the last check's time)
 * reads the figures again when a check lands.
 */
export function ResponseChart({ id, version }: { id: string; version: string | null }) {
  const [range, setRange] = useState<Range>('24h');
  const points = useQuery({ queryKey: ['monitors', 'responseTimes', id, range, version], queryFn: () => api.monitors.responseTimes.query({ id, range }), placeholderData: (prev) => prev });
  const chosen = RANGES.find((r) => r.value === range)!;
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Response time</h2>
      <div className="segmented" role="group" aria-label="Period">
        {RANGES.map((r) => (
          <button key={r.value} type="button" aria-pressed={r.value === range} onClick={() => setRange(r.value)}>
            {r.label}
          </button>
        ))}
      </div>
      {points.isError && <ProblemNotice problem={toProblem(points.error)} />}
      {points.data && (
        <>
          <p className="chart-summary">{summaryOf(points.data.points, chosen.label)}</p>
          <Plot points={points.data.points} label={`Mean response time per ${chosen.per} over the last ${chosen.label}`} />
          <details>
            <summary>The figures as a table</summary>
            <table className="monitors">
              <caption className="visually-hidden">Mean response time per {chosen.per}, last {chosen.label}</caption>
              <thead>
                <tr>
                  <th scope="col">{chosen.per === 'hour' ? 'Hour' : 'Day'}</th>
                  <th scope="col" className="num">
                    Mean response
                  </th>
                  <th scope="col" className="num">
                    Checks
                  </th>
                  <th scope="col" className="num">
                    Failed
                  </th>
                </tr>
              </thead>
              <tbody>
                {points.data.points
                  .filter((p) => p.checks > 0)
                  .map((p) => (
                    <tr key={p.at}>
                      <td data-label={chosen.per === 'hour' ? 'Hour' : 'Day'}>{chosen.per === 'hour' ? new Date(p.at).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }) : new Date(p.at).toLocaleDateString()}</td>
                      <td className="num" data-label="Mean response">{p.avgResponseTimeMs === null ? '—' : `${p.avgResponseTimeMs} ms`}</td>
                      <td className="num" data-label="Checks">{p.checks}</td>
                      <td className="num" data-label="Failed">{p.failedChecks}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}

/** The chart in one sentence: what a sighted reader takes from it at a glance. */
export function summaryOf(points: readonly Point[], label: string): string {
  const measured = points.filter((p) => p.avgResponseTimeMs !== null);
  const checks = points.reduce((n, p) => n + p.checks, 0);
  const failed = points.reduce((n, p) => n + p.failedChecks, 0);
  if (checks === 0) return `No checks in the last ${label}.`;
  const failures = failed === 0 ? 'none failed' : `${failed} failed`;
  if (measured.length === 0) return `Last ${label}: ${checks} checks, ${failures}; no response time measured.`;
  const values = measured.map((p) => p.avgResponseTimeMs!);
  const okChecks = measured.reduce((n, p) => n + p.checks - p.failedChecks, 0);
  const mean = Math.round(measured.reduce((s, p) => s + p.avgResponseTimeMs! * (p.checks - p.failedChecks), 0) / Math.max(1, okChecks));
  return `Last ${label}: mean ${mean} ms, from ${Math.min(...values)} ms to ${Math.max(...values)} ms; ${checks} checks, ${failures}.`;
}

function Plot({ points, label }: { points: readonly Point[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let plot: { destroy(): void; setSize(s: { width: number; height: number }): void } | undefined;
    let cancelled = false;
    const resize = new ResizeObserver(() => plot?.setSize({ width: el.clientWidth, height: 220 }));
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([{ default: UPlot }]) => {
      if (cancelled) return;
      const css = getComputedStyle(el);
      const accent = css.getPropertyValue('--accent').trim() || '#1d4ed8';
      const muted = css.getPropertyValue('--muted').trim() || '#555b66';
      const axis = { stroke: muted, grid: { stroke: css.getPropertyValue('--border').trim() || '#d5d9e0' } };
      plot = new UPlot(
        {
          width: el.clientWidth,
          height: 220,
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { y: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] } },
          axes: [axis, { ...axis, values: (_u, ticks) => ticks.map((t) => `${t} ms`), size: 64 }],
          series: [{}, { label: 'Mean response', stroke: accent, width: 2, fill: `${accent}22`, spanGaps: false, points: { show: points.length <= 31 } }],
        },
        [points.map((p) => Date.parse(p.at) / 1000), points.map((p) => p.avgResponseTimeMs)],
        el,
      );
      resize.observe(el);
    });
    return () => {
      cancelled = true;
      resize.disconnect();
      plot?.destroy();
    };
  }, [points]);
  return <div className="chart" ref={box} role="img" aria-label={label} />;
}
