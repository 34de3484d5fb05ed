import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ReactNode } from 'react';
import { toProblem } from '../api/errors';
import { ConfirmButton } from './ConfirmButton';
import { Submit } from './Field';
import { focusOnMount } from './focus';
import { ProblemNotice } from './Problem';

/**
 * A screen that lists its items as cards with one form below to add or edit them (maintenance
 * windows, status pages): which item is edited, the last change said in words, and delete. Focus
 * moves to what changed: the form's heading when an edit starts, the news after a save or delete,
 * the refusal when a delete fails.
 */
export function useEditableList<T extends { id: string }>(opts: { area: string; formHeadingId: string; nameOf: (item: T) => string; remove: (item: T) => Promise<unknown> }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<T | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const removal = useMutation({
    mutationFn: opts.remove,
    onSuccess: async (_r, item) => {
      await queryClient.invalidateQueries({ queryKey: [opts.area] });
      if (editing?.id === item.id) setEditing(null);
      setSaid(`${opts.nameOf(item)} deleted.`);
    },
    onError: () => requestAnimationFrame(() => problemRef.current?.focus()),
  });
  return {
    editing,
    /** The form's key: a new form for each item edited, and for the next one added. */
    formKey: editing?.id ?? 'new',
    edit(item: T) {
      setSaid(null);
      setEditing(item);
      requestAnimationFrame(() => document.getElementById(opts.formHeadingId)?.focus());
    },
    cancel: () => setEditing(null),
    saved(item: T, verb: string) {
      setEditing(null);
      setSaid(`${opts.nameOf(item)} ${verb}.`);
    },
    remove: (item: T) => removal.mutate(item),
    removing: removal.isPending,
    /** The last change, or why a delete was refused; shown under the screen's heading. */
    news: (
      <>
        {said && (
          <p className="done" role="status" tabIndex={-1} ref={focusOnMount} key={said}>
            {said}
          </p>
        )}
        <ProblemNotice problem={removal.error ? toProblem(removal.error) : null} ref={problemRef} />
      </>
    ),
  };
}

/** One item as a card: its name as a heading, what the screen says of it, and Edit and Delete (asked twice). */
export function ItemCard({ id, name, onEdit, onDelete, removing, children }: { id: string; name: string; onEdit: () => void; onDelete: () => void; removing: boolean; children: ReactNode }) {
  return (
    <li className="card-item" aria-labelledby={`${id}-name`}>
      <h2 id={`${id}-name`} className="card-title">
        {name}
      </h2>
      {children}
      <div className="actions">
        <button type="button" onClick={onEdit}>
          Edit <span className="vh">{name}</span>
        </button>
        <ConfirmButton label={<>Delete<span className="vh"> {name}</span>…</>} confirm={`Delete ${name}`} busy={removing} onConfirm={onDelete} />
      </div>
    </li>
  );
}

/** The form's submit, and while an item is edited a way back to adding. */
export function SaveOrCancel({ sending, editing, save, add, onCancel }: { sending: boolean; editing: boolean; save: string; add: string; onCancel: () => void }) {
  return (
    <div className="actions">
      <Submit sending={sending} busy="Saving…">
        {editing ? save : add}
      </Submit>
      {editing && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
