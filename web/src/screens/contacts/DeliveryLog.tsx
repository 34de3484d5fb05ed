import { useInfiniteQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ProblemNotice } from '../../ui/Problem';
import { ago } from '../../ui/monitor-format';
import { DELIVERY, EVENT, type Contact, type Delivery } from './contact-format';

const PAGE = 25;

/**
 * Every delivery of the account's alerts, newest first, for one contact or all of them; older
 * pages are added below on request (the API pages by cursor). Read again while a delivery is
 * still pending, so a test's outcome shows without a reload.
 */
export function DeliveryLog({ contacts, contactId, onContact }: { contacts: Contact[]; contactId: string; onContact: (id: string) => void }) {
  const names = new Map(contacts.map((c) => [c.id, c.name]));
  const firstNew = useRef<HTMLTableRowElement>(null);
  const log = useInfiniteQuery({
    queryKey: ['alerts', 'deliveries', contactId],
    queryFn: ({ pageParam }) => api.alerts.deliveries.query({ limit: PAGE, cursor: pageParam, ...(contactId ? { contactId } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((d) => d.status === 'pending')) ? 2_000 : 15_000),
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  const shownBefore = useRef(0);

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
      {log.isError && <ProblemNotice problem={toProblem(log.error)} />}
      {log.isPending && <p aria-busy="true">Loading deliveries…</p>}
      {log.data && items.length === 0 && <p>No deliveries yet. Send a test to a contact to see one here.</p>}
      {items.length > 0 && (
        <table className="monitors deliveries">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Contact</th>
              <th scope="col">Event</th>
              <th scope="col">Outcome</th>
              <th scope="col">Attempts</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d, i) => (
              <tr key={d.id} ref={i === shownBefore.current && i > 0 ? firstNew : undefined} tabIndex={i === shownBefore.current && i > 0 ? -1 : undefined}>
                <td data-label="When">
                  <time dateTime={d.createdAt}>{ago(d.createdAt)}</time>
                </td>
                <td data-label="Contact">{names.get(d.contactId) ?? 'A deleted contact'}</td>
                <td data-label="Event">{EVENT[d.type]}</td>
                <td data-label="Outcome">
                  <Outcome d={d} />
                </td>
                <td data-label="Attempts">
                  <Attempts d={d} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {log.hasNextPage && (
        <p>
          <button
            type="button"
            disabled={log.isFetchingNextPage}
            onClick={async () => {
              shownBefore.current = items.length;
              await log.fetchNextPage();
              // Focus the first of the rows just added, so a keyboard user goes on reading from there.
              requestAnimationFrame(() => firstNew.current?.focus());
            }}
          >
            {log.isFetchingNextPage ? 'Loading…' : 'Show older deliveries'}
          </button>
        </p>
      )}
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
