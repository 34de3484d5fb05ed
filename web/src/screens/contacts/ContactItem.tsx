import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { focusOnMount } from '../../ui/focus';
import { ProblemNotice, useCountdown } from '../../ui/Problem';
import { ShownOnce } from '../../ui/ShownOnce';
import { KINDS, type Contact } from './contact-format';
import { EditContact } from './EditContact';
import { VerifyCode } from './VerifyCode';

/**
 * One contact with what can be done to it: verify an email with its code (or have a new code
 * mailed), send a test, rotate a webhook's signing secret (shown once), show its deliveries, and
 * delete it (asked twice). Each action's result or refusal is said in the card and takes focus.
 */
export function ContactItem({ contact: c, onShowDeliveries, onDeleted }: { contact: Contact; onShowDeliveries: (id: string) => void; onDeleted: (name: string) => void }) {
  const queryClient = useQueryClient();
  const [said, setSaid] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [retryAt, setRetryAt] = useState(0);
  const waiting = useCountdown(retryAt);
  const problemRef = useRef<HTMLDivElement>(null);
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ['contacts'] }), queryClient.invalidateQueries({ queryKey: ['alerts'] })]);
  const done = (message: string) => {
    setSaid(message);
    setSecret(null);
  };
  const failed = (error: unknown) => {
    const p = toProblem(error);
    if (p.kind === 'rate-limited') setRetryAt(Date.now() + p.retryAfterSeconds * 1000);
    setSaid(null);
    requestAnimationFrame(() => problemRef.current?.focus());
  };
  const test = useMutation({
    mutationFn: () => api.contacts.test.mutate({ id: c.id }),
    onSuccess: async () => {
      done('Test sent. Its outcome shows in the delivery log below.');
      await refresh();
    },
    onError: failed,
  });
  const resend = useMutation({ mutationFn: () => api.contacts.resendVerification.mutate({ id: c.id }), onSuccess: () => done(`A new code was sent to ${c.target} by ${KINDS[c.kind].codeBy}.`), onError: failed });
  const rotate = useMutation({
    mutationFn: () => api.contacts.rotateSecret.mutate({ id: c.id }),
    onSuccess: (r) => {
      setSaid(null);
      setSecret(r.signingSecret);
    },
    onError: failed,
  });
  const remove = useMutation({
    mutationFn: () => api.contacts.delete.mutate({ id: c.id }),
    onSuccess: async () => {
      await refresh();
      onDeleted(c.name);
    },
    onError: failed,
  });
  const error = test.error ?? resend.error ?? rotate.error ?? remove.error;
  const pending = c.status === 'pending';

  return (
    <li className="card-item" aria-labelledby={`${c.id}-name`}>
      <h3 id={`${c.id}-name`}>{c.name}</h3>
      <p className="target">
        {KINDS[c.kind].label} · <span className="wrap">{c.target}</span>
        {KINDS[c.kind].secret && c.secretSet && <> · {KINDS[c.kind].secret!.label} set</>}
      </p>
      <p>
        {pending ? (
          <span className="status status-pending">
            <span aria-hidden="true">○</span>Awaiting the code from the {KINDS[c.kind].codeBy ?? 'email'}
          </span>
        ) : (
          <span className="status status-up">
            <span aria-hidden="true">●</span>Active
          </span>
        )}
      </p>
      {pending && KINDS[c.kind].codeBy && <VerifyCode id={c.id} by={KINDS[c.kind].codeBy} onVerified={refresh} />}
      <ProblemNotice problem={error ? toProblem(error) : null} ref={problemRef} />
      {said && (
        <p className="done" role="status" tabIndex={-1} ref={focusOnMount} key={said}>
          {said}
        </p>
      )}
      {secret && <ShownOnce title="New signing secret" label="Signing secret" value={secret} />}
      {editing ? (
        <EditContact
          contact={c}
          onCancel={() => setEditing(false)}
          onSaved={async (message) => {
            await refresh();
            setEditing(false);
            done(message);
          }}
        />
      ) : (
        <div className="actions">
          {!pending && (
            <button type="button" disabled={test.isPending || waiting > 0} aria-busy={test.isPending || undefined} onClick={() => test.mutate()}>
              {waiting > 0 ? `Send a test (in ${waiting} s)` : 'Send a test'}
            </button>
          )}
          {pending && KINDS[c.kind].codeBy && (
            <button type="button" disabled={resend.isPending || waiting > 0} onClick={() => resend.mutate()}>
              {`${KINDS[c.kind].codeBy === 'email' ? 'Mail' : 'Text'} a new code${waiting > 0 ? ` (in ${waiting} s)` : ''}`}
            </button>
          )}
          {c.kind === 'webhook' && (
            <ConfirmButton label="Rotate signing secret…" confirm="Replace the secret now (the old one stops working)" busy={rotate.isPending} onConfirm={() => rotate.mutate()} />
          )}
          <button type="button" onClick={() => setEditing(true)}>
            Edit<span className="vh"> {c.name}</span>
          </button>
          <button type="button" onClick={() => onShowDeliveries(c.id)}>
            Show its deliveries<span className="vh"> ({c.name})</span>
          </button>
          <ConfirmButton label={<>Delete<span className="vh"> {c.name}</span>…</>} confirm={`Delete ${c.name}`} busy={remove.isPending} onConfirm={() => remove.mutate()} />
        </div>
      )}
    </li>
  );
}
