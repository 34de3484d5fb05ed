import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { api } from '../../api/client';
import { percent } from '../../ui/monitor-format';

type Day = Awaited<ReturnType<typeof api.monitors.uptimeDays.query>>['days'][number];

/** Below this a day is a bad one: its bar is short and marked, not only coloured. */
const GOOD = 99.9;

const kindOf = (d: Day) => (d.uptime === null ? 'none' : d.uptime >= GOOD ? 'good' : d.uptime >= 99 ? 'fair' : 'bad');

/** The words each bar carries for a screen reader (and as its tooltip). */
export function dayLabel(d: Day): string {
  const date = new Date(`${d.date}T00:00:00Z`).toLocaleDateString([], { timeZone: 'UTC', dateStyle: 'medium' });
  return d.uptime === null ? `${date}: no data` : `${date}: ${percent(d.uptime)} up, ${d.checks} checks`;
}

/**
 * One bar per UTC day for 90 days. Each bar is as tall as its uptime (a bad day is visibly short
 * and hatched, never told by colour alone), and carries its date and figure in words.
 */
export function UptimeBars({ id, version }: { id: string; version: string | null }) {
  const days = useQuery({ queryKey: ['monitors', 'uptimeDays', id, version], queryFn: () => api.monitors.uptimeDays.query({ id }), placeholderData: (prev) => prev });
  const headingId = useId();
  if (!days.data) return null;
  const bad = days.data.days.filter((d) => d.uptime !== null && d.uptime < GOOD).length;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Last 90 days</h2>
      <p>{bad === 0 ? 'Every day with data at or above 99.9 % up.' : `${bad} ${bad === 1 ? 'day' : 'days'} below 99.9 % up (hatched).`}</p>
      <ol className="bars" aria-label="Uptime per day, oldest first">
        {days.data.days.map((d) => (
          <li key={d.date} className={`bar bar-${kindOf(d)}`} title={dayLabel(d)}>
            <span className="bar-fill" style={{ height: d.uptime === null ? '100%' : `${Math.max(12, d.uptime)}%` }} aria-hidden="true" />
            <span className="visually-hidden">{dayLabel(d)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
