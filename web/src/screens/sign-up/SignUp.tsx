import { Link, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { PASSWORD_MIN } from '../../ui/password-rule';
import { api } from '../../api/client';
import { useLightForm } from '../../forms/useLightForm';
import { Field, Submit } from '../../ui/Field';
import { Outcome } from '../../ui/Outcome';
import { ProblemNotice } from '../../ui/Problem';
import { keepReturnAfterSignIn } from '../../ui/return-after-sign-in';

const schema = () => import('../../../../src/auth/schemas').then((m) => m.credentialsSchema);

/**
 * Registers, then says to confirm from the mailed link. Opened with `next` (from an invitation),
 * the first sign-in after the confirmation goes back there.
 */
export function SignUp() {
  const { next } = useSearch({ from: '/public/sign-up' });
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { errors, problem, sending, formRef, problemRef, submit } = useLightForm(schema);
  if (sentTo) {
    return (
      <Outcome title="Check your email">
        <p>
          If {sentTo} can be registered, a message with a link to confirm it is on its way. Open the link to finish, then{' '}
          <Link to="/sign-in" search={{ next }}>
            sign in
          </Link>
          .
        </p>
        {next === '/accept-invite' && <p>Once you sign in, you come back to your invitation to accept it.</p>}
      </Outcome>
    );
  }
  return (
    <>
      <h1>Create your account</h1>
      <form
        ref={formRef}
        noValidate
        onSubmit={submit(async (values) => {
          await api.auth.register.mutate(values);
          if (next) keepReturnAfterSignIn(next);
          setSentTo(values.email);
        })}
      >
        <ProblemNotice problem={problem} ref={problemRef} />
        <Field name="email" label="Email" type="email" autoComplete="email" required error={errors.email} />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters; a passphrase of a few words is best.`}
          required
          error={errors.password}
        />
        <Submit sending={sending} busy="Creating…">
          Create account
        </Submit>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </>
  );
}
