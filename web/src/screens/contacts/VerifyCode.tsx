import * as z from 'zod';
import { api } from '../../api/client';
import { errorOf, useApiForm } from '../../forms/useApiForm';
import { Field, Submit } from '../../ui/Field';
import { ProblemNotice } from '../../ui/Problem';

type CodeValues = { code: string };

/** The 6-digit code from the email (or text message), checked by the server (five wrong guesses void it). */
export function VerifyCode({ id, code = '', by = 'email', onVerified }: { id: string; code?: string; by?: string; onVerified: () => Promise<unknown> | void }) {
  const { form, problem, problemRef, submit } = useApiForm(z.custom<CodeValues>(), { code });
  return (
    <form
      className="inline-form"
      noValidate
      onSubmit={submit(async ({ code }) => {
        await api.contacts.verify.mutate({ id, code: code.trim() });
        await onVerified();
      })}
    >
      <ProblemNotice problem={problem} ref={problemRef} />
      <Field {...form.register('code')} label={`Code from the ${by}`} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required error={errorOf(form, 'code')} />
      <Submit sending={form.formState.isSubmitting} busy="Checking…">
        Verify
      </Submit>
    </form>
  );
}
