import { useState } from 'react';
import { changePasswordSchema, PASSWORD_MIN } from '../../../../src/auth/schemas';
import { api } from '../../api/client';
import { errorOf, useApiForm } from '../../forms/useApiForm';
import { Field, Submit } from '../../ui/Field';
import { focusOnMount } from '../../ui/focus';
import { ProblemNotice } from '../../ui/Problem';

export function ChangePassword() {
  const [signedOut, setSignedOut] = useState<number | null>(null);
  const { form, problem, problemRef, submit } = useApiForm(changePasswordSchema, { current: '', next: '' });
  return (
    <section className="narrow">
      <h1>Change password</h1>
      {signedOut !== null && (
        <p className="done" role="status" tabIndex={-1} ref={focusOnMount}>
          Password changed. {signedOut === 0 ? 'No other session was open.' : `${signedOut} other session${signedOut === 1 ? ' was' : 's were'} signed out.`}
        </p>
      )}
      <form
        noValidate
        onSubmit={submit(async (values) => {
          const r = await api.auth.changePassword.mutate(values);
          form.reset();
          setSignedOut(r.signedOutSessions);
        })}
      >
        <ProblemNotice problem={problem} ref={problemRef} />
        <Field {...form.register('current')} label="Current password" type="password" autoComplete="current-password" required error={errorOf(form, 'current')} />
        <Field {...form.register('next')} error={errorOf(form, 'next')} label="New password" type="password" autoComplete="new-password" hint={`At least ${PASSWORD_MIN} characters. Your other sessions are signed out.`} required />
        <Submit sending={form.formState.isSubmitting} busy="Saving…">
          Change password
        </Submit>
      </form>
    </section>
  );
}
