import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { focusOnMount } from '../../ui/focus';
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
  const queryClient = useQueryClient();
  const windows = useQuery({ queryKey: ['maintenance', 'list'], queryFn: () => api.maintenance.list.query({ limit: 100 }) });
  const names = useMonitorNames();
  const [editing, setEditing] = useState<Window | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const remove = useMutation({
    mutationFn: (w: Window) => api.maintenance.delete.mutate({ id: w.id }),
    onSuccess: async (_r, w) => {
      await queryClient.invalidateQueries({ queryKey: ['maintenance'] });
      setSaid(`${w.name} deleted.`);
    },
    onError: () => requestAnimationFrame(() => problemRef.current?.focus()),
  });
  const edit = (w: Window) => {
    setSaid(null);
    setEditing(w);
    requestAnimationFrame(() => document.getElementById('window-form')?.focus());
  };
  const covers = (w: Window) => (w.monitorIds === 'all' ? 'All monitors' : w.monitorIds.map((id) => names.get(id) ?? 'a deleted monitor').join(', '));

  return (
    <section aria-labelledby="maintenance-heading">
      <h1 id="maintenance-heading">Maintenance windows</h1>
      {said && (
        <p className="done" role="status" tabIndex={-1} ref={focusOnMount} key={said}>
          {said}
        </p>
      )}
      <ProblemNotice problem={remove.error ? toProblem(remove.error) : null} ref={problemRef} />
      {windows.isError && <ProblemNotice problem={toProblem(windows.error)} />}
      {windows.isPending && <p aria-busy="true">Loading your windows…</p>}
      {windows.data && windows.data.items.length === 0 && <p>No maintenance windows. Add one before planned work, so that it does not page anyone.</p>}
      {windows.data && windows.data.items.length > 0 && (
        <ul className="cards">
          {windows.data.items.map((w) => (
            <li key={w.id} className="card-item" aria-labelledby={`${w.id}-name`}>
              <h2 id={`${w.id}-name`} className="card-title">
                {w.name}
              </h2>
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
              <div className="actions">
                <button type="button" onClick={() => edit(w)}>
                  Edit <span className="vh">{w.name}</span>
                </button>
                <ConfirmButton label={<>Delete<span className="vh"> {w.name}</span>…</>} confirm={`Delete ${w.name}`} busy={remove.isPending} onConfirm={() => remove.mutate(w)} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <WindowForm
        key={editing?.id ?? 'new'}
        editing={editing}
        onCancel={() => setEditing(null)}
        onDone={(w, verb) => {
          setEditing(null);
          setSaid(`${w.name} ${verb}.`);
        }}
      />
    </section>
  );
}
