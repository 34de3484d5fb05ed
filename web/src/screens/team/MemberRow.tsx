import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ProblemNotice } from '../../ui/Problem';
import { useAction } from '../../ui/useAction';
import { ROLE_WORD, ROLES, type Role } from '../../ui/roles';
import type { Removed } from './RemovedMember';
import { RemoveMember } from './RemoveMember';

type Members = Awaited<ReturnType<typeof api.members.list.query>>;
type Me = Awaited<ReturnType<typeof api.auth.me.query>>;

/** Only an owner makes, changes or removes an owner (src/teams/rules.ts); the server says so if asked anyway. */
const grantable = (mine: Role): readonly Role[] => (mine === 'owner' ? ROLES : ROLES.filter((r) => r !== 'owner'));

export function MemberRow({ member, me, manager, onRemoved }: { member: Members['members'][number]; me: Me; manager: boolean; onRemoved: (r: Removed) => void }) {
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>(member.role);
  const selectId = useId();
  const { mutation: change, problemRef: changeProblem } = useAction('members', () => api.members.updateRole.mutate({ userId: member.userId, role }));
  const { mutation: remove, problemRef: removeProblem } = useAction(
    'members',
    (revokeCreated: boolean) => api.members.remove.mutate({ userId: member.userId, revokeCreated }),
    (done) => {
      onRemoved({ userId: member.userId, email: member.email, revoked: done.revoked });
      // What was revoked with them shows as such in its own list.
      for (const area of ['oauthClients', 'contacts', 'monitors']) void queryClient.invalidateQueries({ queryKey: [area] });
    },
  );
  const isMe = member.userId === me.id;
  const editable = manager && !isMe && (member.role !== 'owner' || me.role === 'owner');
  return (
    <tr>
      <td className="wrap">
        <strong>{member.email}</strong>
        {isMe && ' (you)'}
        <ProblemNotice problem={change.error ? toProblem(change.error) : null} ref={changeProblem} />
        <ProblemNotice problem={remove.error ? toProblem(remove.error) : null} ref={removeProblem} />
      </td>
      <td data-label="Role">
        {editable ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              change.mutate();
            }}
          >
            <label htmlFor={selectId} className="vh">
              Role of {member.email}
            </label>
            <select id={selectId} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {grantable(me.role).map((r) => (
                <option key={r} value={r}>
                  {ROLE_WORD[r]}
                </option>
              ))}
            </select>
            <button type="submit" disabled={role === member.role || change.isPending} aria-busy={change.isPending || undefined}>
              Change role
            </button>
          </form>
        ) : (
          ROLE_WORD[member.role]
        )}
        {change.isSuccess && change.data.role === member.role && (
          <span role="status" className="saved">
            {' '}
            Saved.
          </span>
        )}
      </td>
      <td data-label="Joined">
        <time dateTime={member.joinedAt}>{new Date(member.joinedAt).toLocaleDateString()}</time>
      </td>
      {manager && (
        <td data-label="Remove">
          {editable ? (
            <RemoveMember
              userId={member.userId}
              email={member.email}
              busy={remove.isPending}
              onRemove={(revokeCreated) => remove.mutate(revokeCreated)}
            />
          ) : (
            <span className="hint">{isMe ? 'This is you' : 'Only an owner removes an owner'}</span>
          )}
        </td>
      )}
    </tr>
  );
}
