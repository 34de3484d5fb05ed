import { useEffect } from 'react';
import * as z from 'zod';
import { api } from '../../api/client';
import { errorOf, useApiForm } from '../../forms/useApiForm';
import { SaveOrCancel } from '../../ui/EditableList';
import { CheckField, Field } from '../../ui/Field';
import { ProblemNotice } from '../../ui/Problem';
import { KINDS, type Contact } from './contact-format';

type Values = { name: string; target: string; secret: string; removeSecret: boolean };
const values = z.custom<Values>();

/**
 * Renames or retargets a contact, in its card, or replaces its key or token (never shown: an empty
 * field keeps it; an optional one can be removed). Only what changed is sent, so an address shown
 * masked is never sent back as the new one; a new email address is confirmed again by code.
 */
export function EditContact({ contact: c, onSaved, onCancel }: { contact: Contact; onSaved: (message: string) => Promise<unknown>; onCancel: () => void }) {
  const { form, problem, problemRef, submit } = useApiForm<Values>(values, { name: c.name, target: c.target, secret: '', removeSecret: false });
  const secretField = KINDS[c.kind].secret;
  // Focus moves into the form when it opens.
  useEffect(() => form.setFocus('name'), [form]);
  return (
    <form
      noValidate
      aria-label={`Edit ${c.name}`}
      onSubmit={submit(async (v) => {
        const name = v.name.trim();
        const target = v.target.trim();
        const secret = v.removeSecret ? null : v.secret.trim() || undefined;
        const saved = await api.contacts.update.mutate({
          id: c.id,
          ...(name !== c.name ? { name } : {}),
          ...(target !== c.target ? { target } : {}),
          ...(secret !== undefined ? { secret } : {}),
        });
        await onSaved(saved.status === 'pending' && c.status === 'active' ? `Saved. We mailed a code to ${saved.target}: alerts go there once it is confirmed.` : 'Saved.');
      })}
    >
      <ProblemNotice problem={problem} ref={problemRef} />
      <Field {...form.register('name')} label="Name" required error={errorOf(form, 'name')} />
      <Field {...form.register('target')} label={KINDS[c.kind].target} inputMode={KINDS[c.kind].inputMode} autoComplete="off" required error={errorOf(form, 'target')} />
      {secretField && (
        <Field
          {...form.register('secret')}
          label={`New ${secretField.label.toLowerCase()}`}
          hint={c.secretSet ? 'Leave empty to keep the current one (it is never shown).' : secretField.hint}
          type="password"
          autoComplete="off"
          spellCheck={false}
          error={errorOf(form, 'secret')}
        />
      )}
      {secretField && !secretField.required && c.secretSet && <CheckField {...form.register('removeSecret')} label={`Remove the ${secretField.label.toLowerCase()}`} />}
      <SaveOrCancel sending={form.formState.isSubmitting} editing save="Save contact" add="Save contact" onCancel={onCancel} />
    </form>
  );
}
