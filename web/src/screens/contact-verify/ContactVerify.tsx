import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { forgetKept, keptForThisTab, takeLinkParams } from '../../ui/fragment-token';
import { Outcome } from '../../ui/Outcome';
import { ProblemNotice } from '../../ui/Problem';
import { useSignedInOrNot } from '../../ui/useSignedInOrNot';
import { VerifyCode } from '../contacts/VerifyCode';

/** The link's contact and code, kept for this tab while the person signs in. */
const KEPT = 'vigil.contact-code';

/**
 * The mailed link's contact and code (`/contacts/verify#contact=…&code=…`; links mailed earlier
 * carried them in the query, still read), taken out of the address bar at once.
 */
function linkCode(): { contact: string; code: string } | null {
  const q = takeLinkParams({ orQuery: true });
  const contact = q.get('contact');
  const code = q.get('code');
  const kept = keptForThisTab(KEPT, contact && code ? `${contact} ${code}` : null)?.split(' ');
  return kept?.length === 2 ? { contact: kept[0]!, code: kept[1]! } : null;
}

/**
 * Opened from the email that confirms an alert address. A contact belongs to an account, and only
 * its admins may confirm it: a signed-out person signs in and comes back here; then the code is
 * filled in, and the person confirms.
 */
export function ContactVerify() {
  const [link] = useState(linkCode);
  const who = useSignedInOrNot();
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
  if (who.state === 'checking') return <p aria-busy="true">Opening your link…</p>;
  if (who.state === 'failed') return <ProblemNotice problem={who.problem} />;
  if (who.state === 'signed-out') {
    return (
      <>
        <h1>Confirm an address for alerts</h1>
        <p>Sign in to the Vigil account that added this address, and you will come back here to confirm it.</p>
        <p>
          <Link to="/sign-in" search={{ next: '/contacts/verify' }} className="button primary">
            Sign in to confirm
          </Link>
        </p>
      </>
    );
  }
  return <ConfirmContact link={link} />;
}

function ConfirmContact({ link }: { link: { contact: string; code: string } }) {
  const [verified, setVerified] = useState(false);
  const queryClient = useQueryClient();
  const contacts = useQuery({ queryKey: ['contacts', 'list'], queryFn: () => api.contacts.list.query() });
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
        <p>It may have been deleted, or it belongs to another of your accounts: switch to that account (from the header of the contacts screen), then open the link from the email again.</p>
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
          forgetKept(KEPT);
          await queryClient.invalidateQueries({ queryKey: ['contacts'] });
          setVerified(true);
        }}
      />
    </section>
  );
}
