import type { FieldErrors, FieldValues, Path, Resolver } from 'react-hook-form';
import type { ZodType } from 'zod';
import { fieldAt } from './field-paths';

/**
 * How a form's values meet the API schema when the two are not the same shape (a list of header
 * rows for a record of headers, a text of tags for a list): the values become the API's input, and
 * a path in the input (the schema's or the server's) becomes the form field to show it beside.
 */
export type Translation<T extends FieldValues> = {
  schema: ZodType;
  toInput: (values: T) => unknown;
  /** The field beside which an error at `path` is shown; undefined: the form's notice says it. */
  fieldOf: (path: string, values: T, message: string) => Path<T> | undefined;
};

/** The translation of a form whose values are the API's input as they are. */
export function sameShape<T extends FieldValues>(schema: ZodType<unknown, T>): Translation<T> {
  return { schema, toInput: (values) => values, fieldOf: fieldAt };
}

/**
 * react-hook-form's resolver for a zod schema: the same schema the server validates with, so a
 * field's message is the server's own wording. (@hookform/resolvers would pull optional peers
 * that conflict with this project's tree; this is the part of it the app uses.)
 */
export function zodResolver<T extends FieldValues>({ schema, toInput, fieldOf }: Translation<T>): Resolver<T> {
  return async (values) => {
    const result = await schema.safeParseAsync(toInput(values));
    if (result.success) return { values, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const issue of result.error.issues) {
      const field = fieldOf(issue.path.join('.'), values, issue.message) ?? 'root';
      errors[field] ??= { type: issue.code, message: issue.message };
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
