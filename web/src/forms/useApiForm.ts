import { useEffect, useRef, useState } from 'react';
import { get, useForm, type DefaultValues, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import type { ZodType } from 'zod';
import { fieldProblems, toProblem, type Problem } from '../api/errors';
import { sameShape, zodResolver, type Translation } from './zod-resolver';

/**
 * A form checked by the server's own zod schema before it is sent, then by the server. What the
 * server refuses is shown where the person can act on it: a field's error beside the field (from
 * `data.fieldErrors`), anything else in the form's ProblemNotice. Focus moves to the first field in
 * error, or to the notice. A form whose values are not the API's input passes a Translation.
 */
export function useApiForm<T extends FieldValues>(check: ZodType<unknown, T> | Translation<T>, defaultValues: DefaultValues<T>) {
  const [translation] = useState(() => ('toInput' in check ? check : sameShape(check)));
  const form = useForm<T>({ resolver: zodResolver(translation), defaultValues, shouldFocusError: true });
  const [problem, setProblem] = useState<Problem | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const focusNotice = useRef(false);

  useEffect(() => {
    if (problem && focusNotice.current) problemRef.current?.focus();
    focusNotice.current = false;
  }, [problem]);

  const submit = (action: (values: T) => Promise<void>) =>
    form.handleSubmit(
      async (values) => {
        setProblem(null);
        try {
          await action(values);
        } catch (error) {
          const p = toProblem(error);
          let focused = false;
          for (const [path, message] of Object.entries(fieldProblems(p))) {
            const field = translation.fieldOf(path, values, message);
            if (!field) continue;
            form.setError(field, { type: 'server', message }, { shouldFocus: !focused });
            focused = true;
          }
          focusNotice.current = !focused;
          setProblem(focused ? null : p);
        }
      },
      // A rule about no one field (the input as a whole) is said in the notice.
      (errors) => {
        const whole = errors.root?.message;
        focusNotice.current = whole !== undefined;
        setProblem(whole === undefined ? null : { kind: 'fields', message: whole, fields: {} });
      },
    );

  return { form, problem, problemRef, submit, setProblem };
}

/** The message beside a field of a react-hook-form form (nested paths too: `headers.0.name`). */
export function errorOf<T extends FieldValues>(form: UseFormReturn<T>, name: Path<T>): string | undefined {
  return (get(form.formState.errors, name) as { message?: string } | undefined)?.message;
}
