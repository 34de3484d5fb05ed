import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ZodType } from 'zod';
import { toProblem, type Problem } from '../api/errors';

/**
 * The form of the screens a person meets before signing in (sign-in, sign-up, the mailed links),
 * kept light so the sign-in screen stays within its JavaScript budget: the inputs are the DOM's own,
 * and the server's zod schema is loaded when the form is first sent (`schema` is a dynamic import),
 * not with the page. Errors are shown as useApiForm shows them: beside the field, focus on the first.
 */
export function useLightForm<T extends Record<string, string>>(schema: () => Promise<ZodType<unknown, T>>) {
  const [errors, setErrors] = useState<Partial<Record<keyof T & string, string>>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [sending, setSending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const focus = useRef<'field' | 'notice' | null>(null);

  useEffect(() => {
    if (focus.current === 'field') formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    if (focus.current === 'notice') problemRef.current?.focus();
    focus.current = null;
  }, [errors, problem]);

  const fail = (fields: Record<string, string>, p: Problem | null) => {
    focus.current = Object.keys(fields).length > 0 ? 'field' : 'notice';
    setErrors(fields as typeof errors);
    setProblem(p);
  };

  const submit = (action: (values: T) => Promise<void>) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.currentTarget)) as T;
    const parsed = await (await schema()).safeParseAsync(values);
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) fields[issue.path.join('.')] ??= issue.message;
      return fail(fields, null);
    }
    setSending(true);
    setErrors({});
    setProblem(null);
    try {
      await action(values);
    } catch (error) {
      const p = toProblem(error);
      const fields = p.kind === 'fields' ? Object.fromEntries(Object.entries(p.fields).filter(([k]) => k in values)) : {};
      fail(fields, Object.keys(fields).length > 0 ? null : p);
    } finally {
      setSending(false);
    }
  };

  return { errors, problem, sending, formRef, problemRef, submit };
}
