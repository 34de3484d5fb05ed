import type { FieldErrors, FieldValues, Resolver } from 'react-hook-form';
import type { ZodType } from 'zod';

/**
 * react-hook-form's resolver for a zod schema: the same schema the server validates with, so a
 * field's message is the server's own wording. (@hookform/resolvers would pull optional peers
 * that conflict with this project's tree; this is the part of it the app uses.)
 */
export function zodResolver<T extends FieldValues>(schema: ZodType<unknown, T>): Resolver<T> {
  return async (values) => {
    const result = await schema.safeParseAsync(values);
    if (result.success) return { values: values, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const issue of result.error.issues) {
      const path = issue.path.join('.');
      errors[path] ??= { type: issue.code, message: issue.message };
    }
    return { values: {}, errors: nest(errors) as FieldErrors<T> };
  };
}

/** RHF wants errors shaped like the values: `headers.0.name` → { headers: [{ name }] }. */
function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, error] of Object.entries(flat)) {
    const keys = path === '' ? ['root'] : path.split('.');
    let at: Record<string, unknown> = out;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) at[k] = error;
      else at = (at[k] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}
