import { Link } from '@tanstack/react-router';
import { focusOnMount } from '../../ui/focus';

export type Removed = { userId: string; email: string };

/**
 * Said after a member is removed: their sessions in this account end on their next request.
 * What the member created here (API clients, contacts, ping tokens) stays with the account; when
 * the API lists those on removal, this is where they are shown, each with a way to revoke it.
 */
export function RemovedMember({ removed }: { removed: Removed }) {
  return (
    <div className="done" role="status" tabIndex={-1} ref={focusOnMount}>
      <p>
        {removed.email} was removed from the team. They are signed out of this account from their next request, and their pending invitations no longer work.
      </p>
      <p>
        What they created here stays with the account: review the <Link to="/settings/api">API clients</Link>, alert contacts and heartbeat ping URLs whose secrets they may know.
      </p>
    </div>
  );
}
