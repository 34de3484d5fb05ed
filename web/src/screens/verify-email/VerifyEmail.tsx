import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../api/client';
import { useLightForm } from '../../forms/useLightForm';
import { Field, Submit } from '../../ui/Field';
import { takeFragmentToken } from '../../ui/fragment-token';
import { pendingInvitation } from '../../ui/pending-invitation';
import { Outcome } from '../../ui/Outcome';
import { ProblemNotice } from '../../ui/Problem';

/** The password alone: the token comes from the link, not from the form. */
const schema = () => import('../../../../src/auth/schemas').then((m) => m.resetPasswordSchema.pick({ password: true }));

/**
 * Opened from the mailed link `/verify-email#token=…`. The server confirms an email only with the
 * password chosen at sign-up, so a link opened by someone who did not register (a stranger used
 * their address) confirms nothing.
 */
export function VerifyEmail() {
  const [token] = useState(takeFragmentToken);
  const [email, setEmail] = useState<string | null>(null);
  const { errors, problem, sending, formRef, problemRef, submit } = useLightForm(schema);
  if (!token) {
    return (
      <Outcome title="This link is incomplete">
        <p>Open the link from the email exactly as it was sent, or sign in and ask for a new one.</p>
      </Outcome>
    );
  }
  if (email) {
    return (
      <Outcome title="Email confirmed">
        <p>{email} is confirmed.</p>
        {pendingInvitation() && <p>You have an invitation to a team: once you sign in, you come back to it to accept it.</p>}
        <p>
          <Link to="/sign-in">Sign in to Vigil</Link>
        </p>
      </Outcome>
    );
  }
  return (
    <>
      <h1>Confirm your email</h1>
      <p>Enter the password you chose when you signed up. If you did not sign up for Vigil, close this page: nothing happens.</p>
      <form
        ref={formRef}
        noValidate
        onSubmit={submit(async ({ password }) => {
          const done = await api.auth.verifyEmail.mutate({ token, password });
          setEmail(done.email);
        })}
      >
        <ProblemNotice problem={problem} ref={problemRef} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required error={errors.password} />
        <Submit sending={sending} busy="Confirming…">
          Confirm email
        </Submit>
      </form>
    </>
  );
}
