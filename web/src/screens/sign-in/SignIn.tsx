import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { api } from '../../api/client';
import { meQuery } from '../../api/query';
import { useLightForm } from '../../forms/useLightForm';
import { Field, Submit } from '../../ui/Field';
import { ProblemNotice } from '../../ui/Problem';
import { takeReturnAfterSignIn } from '../../ui/return-after-sign-in';

const schema = () => import('../../../../src/auth/schemas').then((m) => m.credentialsSchema);

export function SignIn() {
  const { next } = useSearch({ from: '/public/sign-in' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { errors, problem, sending, formRef, problemRef, submit } = useLightForm(schema);
  return (
    <>
      <h1>Sign in</h1>
      <form
        ref={formRef}
        noValidate
        onSubmit={submit(async (values) => {
          await api.auth.login.mutate(values);
          await queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
          const kept = takeReturnAfterSignIn();
          await navigate({ to: next ?? kept ?? '/' });
        })}
      >
        <ProblemNotice problem={problem} ref={problemRef} />
        <Field name="email" label="Email" type="email" autoComplete="email" required error={errors.email} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required error={errors.password} />
        <Submit sending={sending} busy="Signing in…">
          Sign in
        </Submit>
      </form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New to Vigil? <Link to="/sign-up">Create an account</Link>
      </p>
    </>
  );
}
