import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ItemCard, useEditableList } from '../../ui/EditableList';
import { useMonitorNames } from '../../ui/MonitorPicker';
import { ProblemNotice } from '../../ui/Problem';
import { PageForm } from './PageForm';

export type StatusPage = Awaited<ReturnType<typeof api.statusPages.list.query>>[number];

/**
 * Public status pages: each with a link to the page as visitors see it, the monitors on it, and
 * edit and delete (asked twice). The page itself is served by the API at its public address.
 */
export function StatusPages() {
  const pages = useQuery({ queryKey: ['statusPages', 'list'], queryFn: () => api.statusPages.list.query() });
  const names = useMonitorNames();
  const list = useEditableList<StatusPage>({ area: 'statusPages', formHeadingId: 'page-form', nameOf: (p) => p.title, remove: (p) => api.statusPages.delete.mutate({ id: p.id }) });

  return (
    <section aria-labelledby="pages-heading">
      <h1 id="pages-heading">Status pages</h1>
      {list.news}
      {pages.isError && <ProblemNotice problem={toProblem(pages.error)} />}
      {pages.isPending && <p aria-busy="true">Loading your status pages…</p>}
      {pages.data && pages.data.length === 0 && <p>No status pages yet. A status page tells your users, in public, whether your services are up.</p>}
      {pages.data && pages.data.length > 0 && (
        <ul className="cards">
          {pages.data.map((p) => (
            <ItemCard key={p.id} id={p.id} name={p.title} onEdit={() => list.edit(p)} onDelete={() => list.remove(p)} removing={list.removing}>
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
            </ItemCard>
          ))}
        </ul>
      )}
      <PageForm key={list.formKey} editing={list.editing} onCancel={list.cancel} onDone={list.saved} />
    </section>
  );
}
