import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ItemCard, useEditableList } from '../../ui/EditableList';
import { useMonitorNames } from '../../ui/MonitorPicker';
import { ProblemNotice } from '../../ui/Problem';
import { WindowForm } from './WindowForm';
import { describeWhen, type Window } from './window-format';

/**
 * Maintenance windows: planned time when a monitor's failures open no incident and send no
 * alert. The list says when each applies, whether it is in force now, and which monitors it
 * covers; a window is added, edited (its definition replaced) or deleted (asked twice) here.
 */
export function Maintenance() {
  const windows = useQuery({ queryKey: ['maintenance', 'list'], queryFn: () => api.maintenance.list.query({ limit: 100 }) });
  const names = useMonitorNames();
  const list = useEditableList<Window>({ area: 'maintenance', formHeadingId: 'window-form', nameOf: (w) => w.name, remove: (w) => api.maintenance.delete.mutate({ id: w.id }) });
  const covers = (w: Window) => (w.monitorIds === 'all' ? 'All monitors' : w.monitorIds.map((id) => names.get(id) ?? 'a deleted monitor').join(', '));

  return (
    <section aria-labelledby="maintenance-heading">
      <h1 id="maintenance-heading">Maintenance windows</h1>
      {list.news}
      {windows.isError && <ProblemNotice problem={toProblem(windows.error)} />}
      {windows.isPending && <p aria-busy="true">Loading your windows…</p>}
      {windows.data && windows.data.items.length === 0 && <p>No maintenance windows. Add one before planned work, so that it does not page anyone.</p>}
      {windows.data && windows.data.items.length > 0 && (
        <ul className="cards">
          {windows.data.items.map((w) => (
            <ItemCard key={w.id} id={w.id} name={w.name} onEdit={() => list.edit(w)} onDelete={() => list.remove(w)} removing={list.removing}>
              <p>
                {w.activeNow ? (
                  <span className="status status-maintenance">
                    <span aria-hidden="true">◐</span>In force now
                  </span>
                ) : (
                  <span className="status status-pending">
                    <span aria-hidden="true">○</span>Not in force
                  </span>
                )}
              </p>
              <p>{describeWhen(w)}</p>
              <p className="target">Covers: {covers(w)}</p>
            </ItemCard>
          ))}
        </ul>
      )}
      <WindowForm key={list.formKey} editing={list.editing} onCancel={list.cancel} onDone={list.saved} />
    </section>
  );
}
