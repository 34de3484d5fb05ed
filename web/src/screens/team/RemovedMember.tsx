import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { api } from '../../api/client';
import { focusOnMount } from '../../ui/focus';
import { MadeList, type Made } from './RemoveMember';

export type Removed = { userId: string; email: string; revoked: Made & { invitations: string[] } };

/**
 * Said after a member is removed: their sessions here ended, their pending invitations were
 * revoked, and, if the remover chose it, what they created.
 */
export function RemovedMember({ removed }: { removed: Removed }) {
  const { invitations, ...ids } = removed.revoked;
  const made = useNames(ids);
  const revokedAny = made.clients.length + made.contacts.length + made.pingTokens.length > 0;
  return (
    <div className="done" role="status" tabIndex={-1} ref={focusOnMount}>
      <p>
        {removed.email} was removed from the team. Their sessions in this account have ended
        {invitations.length > 0 && `, and ${invitations.length} pending ${invitations.length === 1 ? 'invitation' : 'invitations'} they sent or were sent was revoked`}.
      </p>
      {revokedAny ? (
        <>
          <p>Also revoked:</p>
          <MadeList made={made} />
        </>
      ) : (
        <p>
          Anything they created stays with the account: review the <Link to="/settings/api">API clients</Link>, <Link to="/contacts">alert contacts</Link> and heartbeat ping URLs whose secrets they may know.
        </p>
      )}
    </div>
  );
}

type Named = { id: string; name: string }[];

/** The revoked ids by the names the lists showed while the remover decided (useMadeBy read them). */
function useNames(ids: Made): Made {
  const cache = useQueryClient();
  const clients: Named = (cache.getQueryData<Awaited<ReturnType<typeof api.oauthClients.list.query>>>(['oauthClients', 'list']) ?? []).map((c) => ({ id: c.clientId, name: c.name }));
  const contacts: Named = cache.getQueryData<Awaited<ReturnType<typeof api.contacts.list.query>>>(['contacts', 'list']) ?? [];
  const monitors: Named = cache.getQueryData<Awaited<ReturnType<typeof api.monitors.list.query>>>(['monitors', 'list', 'heartbeat'])?.items ?? [];
  const name = (known: Named) => (id: string) => known.find((k) => k.id === id)?.name ?? id;
  return { clients: ids.clients.map(name(clients)), contacts: ids.contacts.map(name(contacts)), pingTokens: ids.pingTokens.map(name(monitors)) };
}
