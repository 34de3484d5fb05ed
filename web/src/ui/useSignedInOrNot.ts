import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { toProblem, type Problem } from '../api/errors';

type Me = Awaited<ReturnType<typeof api.auth.me.query>>;
export type SignedInOrNot = { state: 'checking' } | { state: 'signed-out' } | { state: 'signed-in'; me: Me } | { state: 'failed'; problem: Problem };

/**
 * Who opened a mailed link that needs an account: asked directly, not through the query cache,
 * because on these screens a 401 is an answer (offer to sign in and come back), not a reason to leave.
 */
export function useSignedInOrNot(): SignedInOrNot {
  const [who, setWho] = useState<SignedInOrNot>({ state: 'checking' });
  useEffect(() => {
    api.auth.me.query().then(
      (me) => setWho({ state: 'signed-in', me }),
      (error: unknown) => {
        const p = toProblem(error);
        setWho(p.kind === 'unauthenticated' ? { state: 'signed-out' } : { state: 'failed', problem: p });
      },
    );
  }, []);
  return who;
}
