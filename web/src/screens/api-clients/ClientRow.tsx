import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { ProblemNotice } from '../../ui/Problem';
import { useAction } from '../../ui/useAction';

type Client = Awaited<ReturnType<typeof api.oauthClients.list.query>>[number];

export function ClientRow({ client: c }: { client: Client }) {
  const { mutation: revoke, problemRef } = useAction('oauthClients', () => api.oauthClients.revoke.mutate({ clientId: c.clientId }));
  return (
    <tr>
      <td className="wrap">
        <strong>{c.name}</strong>
        <ProblemNotice problem={revoke.error ? toProblem(revoke.error) : null} ref={problemRef} />
      </td>
      <td data-label="Client ID" className="wrap">
        <code>{c.clientId}</code>
      </td>
      <td data-label="Created">
        <time dateTime={c.createdAt}>{new Date(c.createdAt).toLocaleDateString()}</time>
      </td>
      <td data-label="State">
        {c.revokedAt ? (
          <span className="status status-paused">
            <span aria-hidden="true">✕</span>Revoked <time dateTime={c.revokedAt}>{new Date(c.revokedAt).toLocaleDateString()}</time>
          </span>
        ) : (
          <span className="confirm">
            <span className="status status-up">
              <span aria-hidden="true">●</span>Active
            </span>
            <ConfirmButton label={<>Revoke…<span className="vh"> {c.name}</span></>} confirm={`Revoke ${c.name}: its tokens stop working`} busy={revoke.isPending} onConfirm={() => revoke.mutate()} />
          </span>
        )}
      </td>
    </tr>
  );
}
