import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ProblemNotice } from '../../ui/Problem';
import { may, notAllowed } from '../../ui/roles';
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
  const log = useInfiniteQuery({
    queryKey: ['audit', 'list', entity],
    queryFn: ({ pageParam }) => api.audit.list.query({ limit: PAGE, cursor: pageParam, ...(entity ? { entity } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: allowed,
  });
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
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];
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
      {log.isError && <ProblemNotice problem={toProblem(log.error)} />}
      {allowed && log.isPending && <p aria-busy="true">Loading the audit log…</p>}
      {allowed && log.data && entries.length === 0 && <p>Nothing recorded yet.</p>}
      {allowed && entries.length > 0 && (
        <table className="monitors audit">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td data-label="When">
                  <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
                </td>
                <td data-label="Who" className="wrap">
                  {who(e.actorId)}
                  {e.ip && <div className="target">from {e.ip}</div>}
                </td>
                <td data-label="What" className="wrap">
                  {e.outcome === 'denied' ? attemptInWords(e.action) : actionInWords(e.action)}
                  {(e.changes || e.entityId) && <div className="target">{[changesInWords(e.changes), e.entityId].filter(Boolean).join(' · ')}</div>}
                </td>
                <td data-label="Outcome">
                  {e.outcome === 'ok' ? (
                    <span className="status status-up">
                      <span aria-hidden="true">✓</span>Done
                    </span>
                  ) : (
                    <span className="status status-down">
                      <span aria-hidden="true">✕</span>Refused
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {allowed && log.hasNextPage && (
        <p>
          <button type="button" disabled={log.isFetchingNextPage} aria-busy={log.isFetchingNextPage || undefined} onClick={() => void log.fetchNextPage()}>
            {log.isFetchingNextPage ? 'Loading…' : 'Show older entries'}
          </button>
        </p>
      )}
    </section>
  );
}
