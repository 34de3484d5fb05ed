import { api } from '../../api/client';
import { ago } from '../../ui/monitor-format';
import { PagedTable, type Column } from '../../ui/PagedTable';
import { useCursorPages } from '../../ui/useCursorPages';
import { DELIVERY, EVENT, type Contact, type Delivery } from './contact-format';

const PAGE = 25;

/**
 * Every delivery of the account's alerts, newest first, for one contact or all of them; older
 * pages are added below on request (the API pages by cursor). Read again while a delivery is
 * still pending, so a test's outcome shows without a reload.
 */
export function DeliveryLog({ contacts, contactId, onContact }: { contacts: Contact[]; contactId: string; onContact: (id: string) => void }) {
  const names = new Map(contacts.map((c) => [c.id, c.name]));
  const log = useCursorPages(
    ['alerts', 'deliveries', contactId],
    (cursor) => api.alerts.deliveries.query({ limit: PAGE, cursor, ...(contactId ? { contactId } : {}) }),
    { refetchInterval: (items) => (items.some((d) => d.status === 'pending') ? 2_000 : 15_000) },
  );
  const columns: Column<Delivery>[] = [
    { label: 'When', cell: (d) => <time dateTime={d.createdAt}>{ago(d.createdAt)}</time> },
    { label: 'Contact', cell: (d) => names.get(d.contactId) ?? 'A deleted contact' },
    { label: 'Event', cell: (d) => EVENT[d.type] },
    { label: 'Outcome', cell: (d) => <Outcome d={d} /> },
    { label: 'Attempts', cell: (d) => <Attempts d={d} /> },
  ];

  return (
    <section aria-labelledby="deliveries">
      <h2 id="deliveries" tabIndex={-1}>
        Delivery log
      </h2>
      <div className="field narrow">
        <label htmlFor="delivery-contact">Contact</label>
        <select id="delivery-contact" value={contactId} onChange={(e) => onContact(e.currentTarget.value)}>
          <option value="">Every contact</option>
          {contacts.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <PagedTable pages={log} columns={columns} className="deliveries" what="deliveries" empty="No deliveries yet. Send a test to a contact to see one here." />
    </section>
  );
}

function Outcome({ d }: { d: Delivery }) {
  const s = DELIVERY[d.status];
  const last = d.history.at(-1);
  return (
    <>
      <span className={`status delivery-${d.status}`}>
        <span aria-hidden="true">{s.symbol}</span>
        {s.word}
      </span>
      {last?.statusCode != null && <> · HTTP {last.statusCode}</>}
      {d.status !== 'delivered' && d.lastError && <div className="target">{d.lastError}</div>}
      {d.status === 'pending' && d.nextAttemptAt && <div className="target">next try {new Date(d.nextAttemptAt).toLocaleTimeString()}</div>}
    </>
  );
}

function Attempts({ d }: { d: Delivery }) {
  if (d.history.length === 0) return <>{d.attempts}</>;
  return (
    <details>
      <summary>
        {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
      </summary>
      <ol className="attempts">
        {d.history.map((a) => (
          <li key={a.attemptedAt}>
            {new Date(a.attemptedAt).toLocaleString()}: {a.statusCode != null ? `HTTP ${a.statusCode}` : (a.error ?? 'no answer')} in {a.latencyMs} ms
          </li>
        ))}
      </ol>
    </details>
  );
}
