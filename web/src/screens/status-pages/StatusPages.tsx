import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { focusOnMount } from '../../ui/focus';
import { useMonitorNames } from '../../ui/MonitorPicker';
import { ProblemNotice } from '../../ui/Problem';
import { PageForm } from './PageForm';

export type StatusPage = Awaited<ReturnType<typeof api.statusPages.list.query>>[number];

/**
 * Public status pages: each with a link to the page as visitors see it, the monitors on it, and
 * edit and delete (asked twice). The page itself is served by the API at its public address.
 */
export function StatusPages() {
  const queryClient = useQueryClient();
  const pages = useQuery({ queryKey: ['statusPages', 'list'], queryFn: () => api.statusPages.list.query() });
  const names = useMonitorNames();
  const [editing, setEditing] = useState<StatusPage | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const remove = useMutation({
    mutationFn: (p: StatusPage) => api.statusPages.delete.mutate({ id: p.id }),
    onSuccess: async (_r, p) => {
      await queryClient.invalidateQueries({ queryKey: ['statusPages'] });
      setSaid(`${p.title} deleted.`);
    },
    onError: () => requestAnimationFrame(() => problemRef.current?.focus()),
  });
  const edit = (p: StatusPage) => {
    setSaid(null);
    setEditing(p);
    requestAnimationFrame(() => document.getElementById('page-form')?.focus());
  };

  return (
    <section aria-labelledby="pages-heading">
      <h1 id="pages-heading">Status pages</h1>
      {said && (
        <p className="done" role="status" tabIndex={-1} ref={focusOnMount} key={said}>
          {said}
        </p>
      )}
      <ProblemNotice problem={remove.error ? toProblem(remove.error) : null} ref={problemRef} />
      {pages.isError && <ProblemNotice problem={toProblem(pages.error)} />}
      {pages.isPending && <p aria-busy="true">Loading your status pages…</p>}
      {pages.data && pages.data.length === 0 && <p>No status pages yet. A status page tells your users, in public, whether your services are up.</p>}
      {pages.data && pages.data.length > 0 && (
        <ul className="cards">
          {pages.data.map((p) => (
            <li key={p.id} className="card-item" aria-labelledby={`${p.id}-title`}>
              <h2 id={`${p.id}-title`} className="card-title">
                {p.title}
              </h2>
              <p>
                <a href={p.url} target="_blank" rel="noopener noreferrer">
                  Open the public page<span className="vh"> of {p.title}</span> (opens in a new tab)
                </a>
                <br />
                <span className="target wrap">{p.url}</span>
              </p>
              <p className="target">
                {p.monitors.length === 0
                  ? 'No monitors on it yet.'
                  : `Shows ${p.monitors.map((m) => m.displayName ?? names.get(m.monitorId) ?? 'a deleted monitor').join(', ')}.`}
              </p>
              <div className="actions">
                <button type="button" onClick={() => edit(p)}>
                  Edit <span className="vh">{p.title}</span>
                </button>
                <ConfirmButton label={<>Delete<span className="vh"> {p.title}</span>…</>} confirm={`Delete ${p.title}`} busy={remove.isPending} onConfirm={() => remove.mutate(p)} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <PageForm
        key={editing?.id ?? 'new'}
        editing={editing}
        onCancel={() => setEditing(null)}
        onDone={(p, verb) => {
          setEditing(null);
          setSaid(`${p.title} ${verb}.`);
        }}
      />
    </section>
  );
}
