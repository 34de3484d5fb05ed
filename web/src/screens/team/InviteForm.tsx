import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { inviteInput } from '../../../../src/teams/schemas';
import { api } from '../../api/client';
import { errorOf, useApiForm } from '../../forms/useApiForm';
import { Field, Submit } from '../../ui/Field';
import { focusOnMount } from '../../ui/focus';
import { ProblemNotice } from '../../ui/Problem';
import { ROLE_HINT, ROLE_WORD, ROLES, type Role } from '../../ui/roles';

/** Emails a single-use link, valid 7 days; the invitation takes a seat until it is used, revoked or expires. */
export function InviteForm({ myRole }: { myRole: Role }) {
  const queryClient = useQueryClient();
  const [sent, setSent] = useState<string | null>(null);
  const roleId = useId();
  const { form, problem, problemRef, submit } = useApiForm(inviteInput, { email: '', role: 'editor' });
  const roles = myRole === 'owner' ? ROLES : ROLES.filter((r) => r !== 'owner');
  const roleError = errorOf(form, 'role');
  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      {sent && (
        <p className="done" role="status" tabIndex={-1} ref={focusOnMount} key={sent}>
          Invitation sent to {sent}. They open the emailed link and sign in or register with that address.
        </p>
      )}
      <form
        noValidate
        onSubmit={submit(async (values) => {
          await api.members.invite.mutate(inviteInput.parse(values));
          form.reset({ email: '', role: values.role });
          setSent(values.email);
          await queryClient.invalidateQueries({ queryKey: ['members'] });
        })}
      >
        <ProblemNotice problem={problem} ref={problemRef} />
        <Field {...form.register('email')} label="Email" type="email" autoComplete="off" required error={errorOf(form, 'email')} />
        <div className="field">
          <label htmlFor={roleId}>Role</label>
          <select id={roleId} {...form.register('role')} aria-invalid={roleError ? true : undefined}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_WORD[r]}: {ROLE_HINT[r]}
              </option>
            ))}
          </select>
          {roleError && <p className="field-error">{roleError}</p>}
        </div>
        <Submit sending={form.formState.isSubmitting} busy="Sending…">
          Send invitation
        </Submit>
      </form>
    </section>
  );
}
