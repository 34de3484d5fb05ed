import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../api/client';
import { useLightForm } from '../../forms/useLightForm';
import { Field, Submit } from '../../ui/Field';
import { Outcome } from '../../ui/Outcome';
import { ProblemNotice } from '../../ui/Problem';

const schema = () => import('../../../../src/auth/schemas').then((m) => m.emailOnlySchema);

export function ForgotPassword() {
  const [sent, setSent] = useState<string | null>(null);
  const { errors, problem, sending, formRef, problemRef, submit } = useLightForm(schema);
  if (sent) {
    return (
      <Outcome title="Check your email">
        <p>If {sent} has an account, a link to choose a new password is on its way. It works once.</p>
        <p>
          <Link to="/sign-in">Back to sign in</Link>
        </p>
      </Outcome>
    );
  }
  return (
    <>
      <h1>Forgot your password?</h1>
      <p>We will email you a link to choose a new one.</p>
      <form
        ref={formRef}
        noValidate
        onSubmit={submit(async (values) => {
          await api.auth.requestPasswordReset.mutate(values);
          setSent(values.email);
        })}
      >
        <ProblemNotice problem={problem} ref={problemRef} />
        <Field name="email" label="Email" type="email" autoComplete="email" required error={errors.email} />
        <Submit sending={sending} busy="Sending…">
          Email me a link
        </Submit>
      </form>
    </>
  );
}
