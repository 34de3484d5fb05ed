import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { ProblemNotice } from '../../ui/Problem';
import { ROLE_WORD } from '../../ui/roles';
import { useAction } from '../../ui/useAction';

type Invitation = Awaited<ReturnType<typeof api.members.list.query>>['invitations'][number];

/** Pending invitations: each holds a seat until it is accepted, revoked or expires. */
export function Invitations({ invitations, manager }: { invitations: Invitation[]; manager: boolean }) {
  return (
    <>
      <h2 id="invitations-heading">Pending invitations</h2>
      {invitations.length === 0 ? (
        <p>No pending invitations.</p>
      ) : (
        <ul className="cards" aria-labelledby="invitations-heading">
          {invitations.map((i) => (
            <InvitationItem key={i.id} invitation={i} manager={manager} />
          ))}
        </ul>
      )}
    </>
  );
}

function InvitationItem({ invitation: i, manager }: { invitation: Invitation; manager: boolean }) {
  const { mutation: revoke, problemRef } = useAction('members', () => api.members.revokeInvite.mutate({ id: i.id }));
  return (
    <li className="card-item">
      <p className="card-title wrap">
        <strong>{i.email}</strong>
      </p>
      <p>
        as {ROLE_WORD[i.role]} · the link works until <time dateTime={i.expiresAt}>{new Date(i.expiresAt).toLocaleString()}</time>
      </p>
      <ProblemNotice problem={revoke.error ? toProblem(revoke.error) : null} ref={problemRef} />
      {manager && (
        <div className="actions">
          <ConfirmButton label={<>Revoke…<span className="vh"> the invitation of {i.email}</span></>} confirm={`Revoke the invitation of ${i.email}`} busy={revoke.isPending} onConfirm={() => revoke.mutate()} />
        </div>
      )}
    </li>
  );
}
