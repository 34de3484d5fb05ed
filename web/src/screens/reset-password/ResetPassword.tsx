import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { PASSWORD_MIN } from '../../ui/password-rule';
import { api } from '../../api/client';
import { useLightForm } from '../../forms/useLightForm';
import { Field, Submit } from '../../ui/Field';
import { takeFragmentToken } from '../../ui/fragment-token';
import { Outcome } from '../../ui/Outcome';
import { ProblemNotice } from '../../ui/Problem';

/** The new password alone: the token comes from the link, not from the form. */
const schema = () => import('../../../../src/auth/schemas').then((m) => m.resetPasswordSchema.pick({ password: true }));

/** Opened from the mailed link `/reset-password#token=…`. */
export function ResetPassword() {
  const [token] = useState(takeFragmentToken);
  const [done, setDone] = useState(false);
  const { errors, problem, sending, formRef, problemRef, submit } = useLightForm(schema);
  if (!token) {
    return (
      <Outcome title="This link is incomplete">
        <p>
          Open the link from the email exactly as it was sent, or <Link to="/forgot-password">ask for a new one</Link>.
        </p>
      </Outcome>
    );
  }
  if (done) {
    return (
      <Outcome title="Password changed">
        <p>Every session was signed out. Sign in with your new password.</p>
        <p>
          <Link to="/sign-in">Sign in</Link>
        </p>
      </Outcome>
    );
  }
  return (
    <>
      <h1>Choose a new password</h1>
      <form
        ref={formRef}
        noValidate
        onSubmit={submit(async ({ password }) => {
          await api.auth.resetPassword.mutate({ token, password });
          setDone(true);
        })}
      >
        <ProblemNotice problem={problem} ref={problemRef} />
        <Field name="password" label="New password" type="password" autoComplete="new-password" hint={`At least ${PASSWORD_MIN} characters.`} required error={errors.password} />
        <Submit sending={sending} busy="Saving…">
          Set password
        </Submit>
      </form>
    </>
  );
}
