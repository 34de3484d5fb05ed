import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../api/client';
import { focusOnMount } from '../../ui/focus';

export type Made = { clients: string[]; contacts: string[]; pingTokens: string[] };

/**
 * What a member made that outlives their membership and whose secrets they may know: the API
 * clients and alert contacts they created and the heartbeat ping URLs they were shown (each read
 * names its maker). Read only while the remover is deciding.
 */
export function useMadeBy(userId: string, enabled: boolean): { names: Made; loading: boolean } {
  const clients = useQuery({ queryKey: ['oauthClients', 'list'], queryFn: () => api.oauthClients.list.query(), enabled });
  const contacts = useQuery({ queryKey: ['contacts', 'list'], queryFn: () => api.contacts.list.query(), enabled });
  const heartbeats = useQuery({ queryKey: ['monitors', 'list', 'heartbeat'], queryFn: () => api.monitors.list.query({ limit: 100 }), enabled });
  return {
    loading: clients.isPending || contacts.isPending || heartbeats.isPending,
    names: {
      clients: (clients.data ?? []).filter((c) => c.createdBy === userId && !c.revokedAt).map((c) => c.name),
      contacts: (contacts.data ?? []).filter((c) => c.createdBy === userId).map((c) => c.name),
      pingTokens: (heartbeats.data?.items ?? []).filter((m) => m.pingTokenCreatedBy === userId).map((m) => m.name),
    },
  };
}

export const MADE_WORDS: Record<keyof Made, string> = {
  clients: 'API clients (revoked: their tokens stop at once)',
  contacts: 'Alert contacts (deleted: alerts stop going there)',
  pingTokens: 'Heartbeat ping URLs (retired: the jobs must be given new ones)',
};

export function MadeList({ made }: { made: Made }) {
  const kinds = (Object.keys(MADE_WORDS) as (keyof Made)[]).filter((k) => made[k].length > 0);
  return (
    <ul className="made">
      {kinds.map((k) => (
        <li key={k}>
          {MADE_WORDS[k]}: {made[k].join(', ')}
        </li>
      ))}
    </ul>
  );
}

/**
 * Removing a member, asked twice: the second step lists what they created here and offers to
 * revoke it with them (checked by default: each is a way back in for someone who knows its secret).
 */
export function RemoveMember({ userId, email, busy, onRemove }: { userId: string; email: string; busy: boolean; onRemove: (revokeCreated: boolean) => void }) {
  const [asking, setAsking] = useState(false);
  const [revokeCreated, setRevokeCreated] = useState(true);
  const checkId = useId();
  const { names, loading } = useMadeBy(userId, asking);
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)}>
        Remove…<span className="vh"> {email}</span>
      </button>
    );
  }
  const any = names.clients.length + names.contacts.length + names.pingTokens.length > 0;
  return (
    <div className="remove-member">
      {loading ? (
        <p aria-busy="true">Looking for what they created…</p>
      ) : any ? (
        <>
          <p>{email} created here:</p>
          <MadeList made={names} />
          <p className="choice">
            <input id={checkId} type="checkbox" checked={revokeCreated} onChange={(e) => setRevokeCreated(e.target.checked)} />
            <label htmlFor={checkId}>Revoke these too</label>
          </p>
        </>
      ) : (
        <p>They created no API client, contact or ping URL here.</p>
      )}
      <span className="confirm">
        <button type="button" className="danger" disabled={busy || loading} aria-busy={busy || undefined} ref={focusOnMount} onClick={() => onRemove(any && revokeCreated)}>
          Remove {email} from the team
        </button>
        <button type="button" onClick={() => setAsking(false)}>
          Keep them
        </button>
      </span>
    </div>
  );
}
