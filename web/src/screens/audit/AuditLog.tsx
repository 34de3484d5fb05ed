import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../api/client';
import { PagedTable, type Column } from '../../ui/PagedTable';
import { may, notAllowed } from '../../ui/roles';
import { useCursorPages } from '../../ui/useCursorPages';
import { useFreshMe } from '../../ui/useFreshMe';
import { actionInWords, attemptInWords, changesInWords } from './audit-words';

const PAGE = 50;

type Entity = NonNullable<Parameters<typeof api.audit.list.query>[0]['entity']>;
const AREAS: { value: Entity | ''; label: string }[] = [
  { value: '', label: 'Everything' },
  { value: 'members', label: 'Team' },
  { value: 'monitors', label: 'Monitors' },
  { value: 'contacts', label: 'Alert contacts' },
  { value: 'oauthClients', label: 'API clients' },
  { value: 'statusPages', label: 'Status pages' },
  { value: 'maintenance', label: 'Maintenance' },
  { value: 'sessions', label: 'Sign-ins and sessions' },
  { value: 'plan', label: 'Plan' },
];

/**
 * Who did what, when, from where, and whether it was allowed: newest first, a page at a time.
 * A person is named by their email while they are a member, an API client by its name.
 */
export function AuditLog() {
  const me = useFreshMe();
  const allowed = may(me?.role, 'audit:read');
  const [entity, setEntity] = useState<Entity | ''>('');
  const filterId = useId();
  const log = useCursorPages(
    ['audit', 'list', entity],
    (cursor) => api.audit.list.query({ limit: PAGE, cursor, ...(entity ? { entity } : {}) }),
    { enabled: allowed },
  );
  const members = useQuery({ queryKey: ['members', 'list'], queryFn: () => api.members.list.query(), enabled: allowed });
  const clients = useQuery({ queryKey: ['oauthClients', 'list'], queryFn: () => api.oauthClients.list.query(), enabled: allowed });
  const who = (actorId: string): string => {
    if (actorId === 'operator') return 'Vigil operator';
    if (actorId === me?.id) return 'You';
    const member = members.data?.members.find((m) => m.userId === actorId);
    if (member) return member.email;
    const client = clients.data?.find((c) => c.clientId === actorId);
    if (client) return `API client “${client.name}”`;
    return actorId.startsWith('cli_') ? `API client ${actorId}` : `Former member ${actorId}`;
  };
  return (
    <section aria-labelledby="audit-heading">
      <h1 id="audit-heading">Audit log</h1>
      <p>Every change to this account and every refused attempt, newest first.</p>
      {me && !allowed && <p className="note">{notAllowed(me.role, 'read the audit log')}</p>}
      {allowed && (
        <div className="field filter">
          <label htmlFor={filterId}>Show</label>
          <select id={filterId} value={entity} onChange={(e) => setEntity(e.target.value as Entity | '')}>
            {AREAS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
      )}
      {allowed && <PagedTable pages={log} columns={columns(who)} className="audit" what="entries" empty="Nothing recorded yet." />}
    </section>
  );
}

type Entry = Awaited<ReturnType<typeof api.audit.list.query>>['items'][number];

const columns = (who: (actorId: string) => string): Column<Entry>[] => [
  { label: 'When', cell: (e) => <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> },
  {
    label: 'Who',
    wrap: true,
    cell: (e) => (
      <>
        {who(e.actorId)}
        {e.ip && <div className="target">from {e.ip}</div>}
      </>
    ),
  },
  {
    label: 'What',
    wrap: true,
    cell: (e) => (
      <>
        {e.outcome === 'denied' ? attemptInWords(e.action) : actionInWords(e.action)}
        {(e.changes || e.entityId) && <div className="target">{[changesInWords(e.changes), e.entityId].filter(Boolean).join(' · ')}</div>}
      </>
    ),
  },
  {
    label: 'Outcome',
    cell: (e) =>
      e.outcome === 'ok' ? (
        <span className="status status-up">
          <span aria-hidden="true">✓</span>Done
        </span>
      ) : (
        <span className="status status-down">
          <span aria-hidden="true">✕</span>Refused
        </span>
      ),
  },
];
