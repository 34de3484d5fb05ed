import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { toProblem, type Problem } from '../../api/errors';
import { meQuery } from '../../api/query';
import { takeFragmentToken } from '../../ui/fragment-token';
import { forgetInvitation, keepInvitation, pendingInvitation } from '../../ui/pending-invitation';
import { Outcome } from '../../ui/Outcome';
import { ProblemNotice } from '../../ui/Problem';
import { ROLE_WORD, type Role } from '../../ui/roles';
import { useSignedInOrNot } from '../../ui/useSignedInOrNot';

/**
 * Opened from the mailed link `/accept-invite#token=…`. A signed-in person accepts here; anyone
 * else signs in (and comes back) or registers first with the invited address. The server accepts
 * only for the confirmed email the invitation was sent to.
 */
export function AcceptInvite() {
  const [token] = useState(() => takeFragmentToken() ?? pendingInvitation());
  const [joined, setJoined] = useState<{ accountId: string; role: Role } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const who = useSignedInOrNot();
  // Kept while the person signs in, or signs up and confirms first (in whichever tab), or signs in
  // with the invited address: never left behind by someone who only looked at it signed in.
  const mustReturn = who.state === 'signed-out' || problem?.kind === 'forbidden';
  useEffect(() => {
    if (token && mustReturn) keepInvitation(token);
  }, [token, mustReturn]);
  const [busy, setBusy] = useState(false);
  const problemRef = useRef<HTMLDivElement>(null);
  useEffect(() => problemRef.current?.focus(), [problem]);
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  if (!token) {
    return (
      <Outcome title="This link is incomplete">
        <p>Open the invitation link from the email exactly as it was sent, or ask for a new invitation.</p>
      </Outcome>
    );
  }
  if (joined) {
    return (
      <Outcome title="You joined the team">
        <p>You are now a member as {ROLE_WORD[joined.role]}. Switch to the team's account to work there; you can switch back at any time from the header.</p>
        <ProblemNotice problem={problem} ref={problemRef} />
        <p className="actions">
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await api.account.switch.mutate({ accountId: joined.accountId });
                queryClient.clear();
                await navigate({ to: '/' });
              } catch (error) {
                setProblem(toProblem(error));
                setBusy(false);
              }
            }}
          >
            Switch to the team's account
          </button>
          <Link to="/" className="button">
            Stay in my account
          </Link>
        </p>
      </Outcome>
    );
  }
  if (who.state === 'checking') return <p aria-busy="true">Opening your invitation…</p>;
  if (who.state === 'failed') return <ProblemNotice problem={who.problem} />;
  if (who.state === 'signed-out') {
    return (
      <>
        <h1>You are invited to a team on Vigil</h1>
        <p>Sign in with the email address the invitation was sent to, and you will come back here to accept it.</p>
        <p>
          <Link to="/sign-in" search={{ next: '/accept-invite' }} className="button primary">
            Sign in to accept
          </Link>
        </p>
        <p>
          No Vigil account yet?{' '}
          <Link to="/sign-up" search={{ next: '/accept-invite' }}>
            Create one
          </Link>{' '}
          with that address and confirm it: once you sign in, you come back here to accept. The invitation works for 7 days.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>You are invited to a team on Vigil</h1>
      <p>
        You are signed in as <strong>{who.me.email}</strong>. Accepting adds you to the team's account with the role you were invited with; your own account stays yours.
      </p>
      <ProblemNotice problem={problem} ref={problemRef} />
      {problem?.kind === 'forbidden' && (
        <p>
          <Link to="/sign-in" search={{ next: '/accept-invite' }}>
            Sign in with another address
          </Link>
        </p>
      )}
      <p>
        <button
          type="button"
          className="primary"
          disabled={busy}
          aria-busy={busy || undefined}
          onClick={async () => {
            setBusy(true);
            setProblem(null);
            try {
              const done = await api.members.accept.mutate({ token });
              forgetInvitation();
              await queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
              setJoined(done);
            } catch (error) {
              const p = toProblem(error);
              // The token is the only "field": a used, revoked or expired link is said in words.
              if (p.kind === 'fields') forgetInvitation();
              setProblem(p.kind === 'fields' ? { kind: 'other', message: p.fields.token ?? p.message } : p);
            } finally {
              setBusy(false);
            }
          }}
        >
          Accept the invitation
        </button>
      </p>
    </>
  );
}
