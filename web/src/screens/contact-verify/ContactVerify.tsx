import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { Outcome } from '../../ui/Outcome';
import { ProblemNotice } from '../../ui/Problem';
import { VerifyCode } from '../contacts/VerifyCode';

/**
 * The mailed link's contact and code (`/contacts/verify?contact=…&code=…`, or the same after `#`),
 * read once and then removed from the address bar, so the code is neither kept in the history nor
 * shared.
 */
function takeLinkCode(): { contact: string; code: string } | null {
  const { search, hash, pathname } = window.location;
  const q = new URLSearchParams(hash.length > 1 ? hash.slice(1) : search);
  const contact = q.get('contact');
  const code = q.get('code');
  if (search || hash) history.replaceState(history.state, '', pathname);
  return contact && code ? { contact, code } : null;
}

/**
 * Opened from the email that confirms an alert address. Behind sign-in (a contact belongs to an
 * account, and only its admins may confirm it): the code is filled in, and the person confirms.
 */
export function ContactVerify() {
  const [link] = useState(takeLinkCode);
  const [verified, setVerified] = useState(false);
  const queryClient = useQueryClient();
  const contacts = useQuery({ queryKey: ['contacts', 'list'], queryFn: () => api.contacts.list.query() });
  if (!link) {
    return (
      <Outcome title="This link is incomplete">
        <p>Open the link from the email exactly as it was sent, or enter the code on the contacts screen.</p>
        <p>
          <Link to="/contacts">Go to alert contacts</Link>
        </p>
      </Outcome>
    );
  }
  if (contacts.isError) return <ProblemNotice problem={toProblem(contacts.error)} />;
  if (!contacts.data) return <p aria-busy="true">Loading…</p>;
  const contact = contacts.data.find((c) => c.id === link.contact);
  if (verified || contact?.status === 'active') {
    return (
      <Outcome title="Address confirmed">
        <p>{contact ? `${contact.target} now receives alerts.` : 'The address now receives alerts.'}</p>
        <p>
          <Link to="/contacts">Go to alert contacts</Link>
        </p>
      </Outcome>
    );
  }
  if (!contact) {
    return (
      <Outcome title="This contact is not in this account">
        <p>It may have been deleted, or it belongs to another of your accounts: switch to that account and open the link again.</p>
        <p>
          <Link to="/contacts">Go to alert contacts</Link>
        </p>
      </Outcome>
    );
  }
  return (
    <section className="narrow" aria-labelledby="verify-heading">
      <h1 id="verify-heading">Confirm {contact.target}</h1>
      <p>Alerts for {contact.name} go to this address once it is confirmed with the code from the email.</p>
      <VerifyCode
        id={contact.id}
        code={link.code}
        onVerified={async () => {
          await queryClient.invalidateQueries({ queryKey: ['contacts'] });
          setVerified(true);
        }}
      />
    </section>
  );
}
