import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ProblemNotice } from '../../ui/Problem';
import { MonitorForm } from '../monitor-form/MonitorForm';

/** Edits a monitor's settings (screens/monitor-form); saving goes back to the monitor's screen. */
export function EditMonitor() {
  const { monitorId: id } = useParams({ from: '/app/monitors/$monitorId/edit' });
  const monitor = useQuery({ queryKey: ['monitors', 'get', id], queryFn: () => api.monitors.get.query({ id }) });
  if (monitor.isError) return <ProblemNotice problem={toProblem(monitor.error)} />;
  if (!monitor.data) return <p aria-busy="true">Loading…</p>;
  return (
    <section className="form-screen">
      <p>
        <Link to="/monitors/$monitorId" params={{ monitorId: id }}>
          ← {monitor.data.name}
        </Link>
      </p>
      <h1>Edit {monitor.data.name}</h1>
      <MonitorForm monitor={monitor.data} />
    </section>
  );
}
