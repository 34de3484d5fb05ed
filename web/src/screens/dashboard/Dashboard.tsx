import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

/** The monitors: the next step fills this in (status, uptime, filters, live updates). */
export function Dashboard() {
  const monitors = useQuery({ queryKey: ['monitors', 'list'], queryFn: () => api.monitors.list.query() });
  return (
    <section>
      <h1>Monitors</h1>
      {monitors.data && (monitors.data.items.length === 0 ? <p>No monitors yet.</p> : <ul>{monitors.data.items.map((m) => <li key={m.id}>{m.name}: {m.status}</li>)}</ul>)}
    </section>
  );
}
