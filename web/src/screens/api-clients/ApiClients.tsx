import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ProblemNotice } from '../../ui/Problem';
import { may, notAllowed } from '../../ui/roles';
import { useFreshMe } from '../../ui/useFreshMe';
import { ClientRow } from './ClientRow';
import { HowToCall } from './HowToCall';
import { NewClient, type Created } from './NewClient';

/**
 * The account's API clients (OAuth 2.0 client credentials for the public API): the list, a form
 * to create one (its secret shown once), revoke (asked twice), and how to call the API. Only
 * owners and admins see or manage clients; anyone else is told so, and any refusal from the
 * server is shown in place.
 */
export function ApiClients() {
  const me = useFreshMe();
  const allowed = may(me?.role, 'clients:manage');
  const clients = useQuery({ queryKey: ['oauthClients', 'list'], queryFn: () => api.oauthClients.list.query(), enabled: allowed });
  const [created, setCreated] = useState<Created | null>(null);
  return (
    <section aria-labelledby="clients-heading">
      <h1 id="clients-heading">API clients</h1>
      <p>A client lets a program read this account's monitors through the public API, with its own credentials. Revoking it stops its tokens at once.</p>
      {me && !allowed && <p className="note">{notAllowed(me.role, 'see, create or revoke API clients')}</p>}
      {clients.isError && <ProblemNotice problem={toProblem(clients.error)} />}
      {allowed && clients.isPending && <p aria-busy="true">Loading your API clients…</p>}
      {allowed && clients.data && (
        <>
          <NewClient onCreated={setCreated} created={created} />
          <h2 id="client-list">Your clients</h2>
          {clients.data.length === 0 ? (
            <p>No API clients yet.</p>
          ) : (
            <table className="monitors clients" aria-labelledby="client-list">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Client ID</th>
                  <th scope="col">Created</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {clients.data.map((c) => (
                  <ClientRow key={c.clientId} client={c} />
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <HowToCall clientId={created?.clientId} />
    </section>
  );
}
