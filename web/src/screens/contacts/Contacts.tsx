import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { focusOnMount } from '../../ui/focus';
import { ProblemNotice } from '../../ui/Problem';
import { ContactItem } from './ContactItem';
import { DeliveryLog } from './DeliveryLog';
import { NewContact } from './NewContact';

/**
 * Where alerts go: the account's contacts (email, webhook, Slack, Discord) with what can be done
 * to each, a form to add one, and the delivery log of every alert sent, for one contact or all.
 * Members who may not change contacts see them; the server refuses their changes with a message.
 */
export function Contacts() {
  const contacts = useQuery({ queryKey: ['contacts', 'list'], queryFn: () => api.contacts.list.query() });
  const [logOf, setLogOf] = useState('');
  const [deleted, setDeleted] = useState<string | null>(null);
  const showDeliveries = (id: string) => {
    setLogOf(id);
    requestAnimationFrame(() => document.getElementById('deliveries')?.focus());
  };
  return (
    <section aria-labelledby="contacts-heading">
      <h1 id="contacts-heading">Alert contacts</h1>
      <p>A monitor alerts the contacts chosen on it when it goes down and when it comes back.</p>
      {contacts.isError && <ProblemNotice problem={toProblem(contacts.error)} />}
      {contacts.isPending && <p aria-busy="true">Loading your contacts…</p>}
      {contacts.data && (
        <>
          <h2 id="contact-list">Your contacts</h2>
          {deleted && (
            <p className="done" role="status" tabIndex={-1} ref={focusOnMount} key={deleted}>
              {deleted} deleted.
            </p>
          )}
          {contacts.data.length === 0 ? (
            <p>No contacts yet. Add one below, then choose it on your monitors.</p>
          ) : (
            <ul className="cards" aria-labelledby="contact-list">
              {contacts.data.map((c) => (
                <ContactItem key={c.id} contact={c} onShowDeliveries={showDeliveries} onDeleted={setDeleted} />
              ))}
            </ul>
          )}
          <NewContact contacts={contacts.data} />
          <DeliveryLog contacts={contacts.data} contactId={logOf} onContact={setLogOf} />
        </>
      )}
    </section>
  );
}
