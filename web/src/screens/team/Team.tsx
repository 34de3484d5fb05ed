import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ProblemNotice } from '../../ui/Problem';
import { may, notAllowed, ROLE_HINT, ROLE_WORD, ROLES } from '../../ui/roles';
import { useFreshMe } from '../../ui/useFreshMe';
import { Invitations } from './Invitations';
import { InviteForm } from './InviteForm';
import { MemberRow } from './MemberRow';
import { RemovedMember, type Removed } from './RemovedMember';

export const membersKey = ['members', 'list'] as const;

/**
 * The account's members with their roles, its pending invitations and its seats. Owners and admins
 * change roles, remove members (asked twice) and invite; anyone else sees the team and is told why
 * the controls are not there. The server decides either way, and its refusal is shown in place.
 */
export function Team() {
  const me = useFreshMe();
  const members = useQuery({ queryKey: membersKey, queryFn: () => api.members.list.query() });
  const [removed, setRemoved] = useState<Removed | null>(null);
  const manager = may(me?.role, 'members:manage');
  return (
    <section aria-labelledby="team-heading">
      <h1 id="team-heading">Team</h1>
      {members.isError && <ProblemNotice problem={toProblem(members.error)} />}
      {members.isPending && <p aria-busy="true">Loading the team…</p>}
      {members.data && me && (
        <>
          <p>
            {members.data.seats.used} of {members.data.seats.limit} {members.data.seats.limit === 1 ? 'seat' : 'seats'} taken (members and pending invitations).
          </p>
          {!manager && <p className="note">{notAllowed(me.role, 'invite, change roles or remove members')}</p>}
          {removed && <RemovedMember removed={removed} key={removed.userId} />}
          <h2 id="members-heading">Members</h2>
          <table className="monitors members" aria-labelledby="members-heading">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                {manager && <th scope="col">Remove</th>}
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((m) => (
                <MemberRow key={m.userId} member={m} me={me} manager={manager} onRemoved={setRemoved} />
              ))}
            </tbody>
          </table>
          <Invitations invitations={members.data.invitations} manager={manager} />
          {manager && <InviteForm myRole={me.role} />}
          <h2>What each role may do</h2>
          <dl className="roles">
            {ROLES.map((r) => (
              <div key={r}>
                <dt>{ROLE_WORD[r]}</dt>
                <dd>{ROLE_HINT[r]}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}
