import type { api } from '../api/client';

/** How the screens show a monitor's state and figures: in words and a symbol, never colour alone. */
type MonitorList = Awaited<ReturnType<typeof api.monitors.list.query>>;
export type Monitor = MonitorList['items'][number];
type Status = Monitor['status'];

export const STATUS: Record<Status, { symbol: string; word: string }> = {
  up: { symbol: '●', word: 'Up' },
  down: { symbol: '▲', word: 'Down' },
  degraded: { symbol: '◆', word: 'Degraded' },
  pending: { symbol: '○', word: 'Pending' },
  paused: { symbol: '‖', word: 'Paused' },
  maintenance: { symbol: '◐', word: 'Maintenance' },
};

export const KIND: Record<Monitor['kind'], string> = { http: 'HTTP', tcp: 'TCP', heartbeat: 'Heartbeat' };

export function StatusLabel({ status }: { status: Status }) {
  const { symbol, word } = STATUS[status];
  return (
    <span className={`status status-${status}`}>
      <span aria-hidden="true">{symbol}</span>
      {word}
    </span>
  );
}

export function targetOf(m: Monitor): string {
  if (m.kind === 'tcp') return `${m.host ?? ''}:${m.port ?? ''}`;
  if (m.kind === 'heartbeat') return `expects a ping every ${Math.round(m.intervalSeconds / 60)} min`;
  return m.url ?? '';
}

/** The API's uptime is already a percentage (SLA-true; null when nothing was observed). */
export function percent(value: number | null): string {
  return value === null ? '—' : `${Number(value.toFixed(2))} %`;
}

export function ago(iso: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return new Date(iso).toLocaleString();
}

/** "5 minutes", "1 hour", "24 hours" ("90 seconds" for what is not whole minutes). */
export function duration(seconds: number): string {
  if (seconds % 60 !== 0) return `${seconds} seconds`;
  const [n, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : [seconds / 60, 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** When a monitor alerts, in one line: its alert delay and its reminders. */
export function alerting(m: { alertAfterSeconds: number; remindEverySeconds: number | null }): string {
  const first = m.alertAfterSeconds === 0 ? 'Alerts at once' : `Alerts after ${duration(m.alertAfterSeconds)} down (a shorter incident alerts no one)`;
  return `${first}; ${m.remindEverySeconds === null ? 'no reminders' : `reminders every ${duration(m.remindEverySeconds)} while down`}.`;
}
