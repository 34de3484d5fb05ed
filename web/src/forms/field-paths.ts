import type { FieldValues, Path } from 'react-hook-form';

/**
 * The form field beside which an error at an input path (the schema's or the server's) is shown.
 * A value the form shows in one control (a list of tags or monitors, a text of lines) takes every
 * error about its parts: `monitors.3.monitorId` and `tags.2` go beside `monitors` and `tags`. Rows
 * of fields of their own (`headers.0.name`) keep their path. undefined: no field of the form says
 * it; the form's notice does.
 */
export function fieldAt<T extends FieldValues>(path: string, values: T): Path<T> | undefined {
  const [head = '', row, field] = path.split('.');
  if (!(head in values)) return undefined;
  const value: unknown = values[head];
  const rows = Array.isArray(value) && value.length > 0 && typeof value[0] === 'object';
  if (rows && field !== undefined && Number(row) < (value as unknown[]).length && field in (value as Record<string, unknown>[])[Number(row)]!) {
    return `${head}.${row}.${field}` as Path<T>;
  }
  return head as Path<T>;
}
