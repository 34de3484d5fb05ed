import { TRPCClientError } from '@trpc/client';

/**
 * Rethrows a server refusal with its field paths renamed to the form's fields, for a form whose
 * shape differs from the input it sends: `window.startsAt` when the input wraps the form's values,
 * `monitors.3.monitorId` when the form shows a list as one field. useApiForm then puts each message
 * beside its field.
 */
export function renamingFields(rename: (path: string) => string): (error: unknown) => never {
  return (error) => {
    const data = error instanceof TRPCClientError ? (error.data as { fieldErrors?: { path: string }[] } | undefined) : undefined;
    for (const f of data?.fieldErrors ?? []) f.path = rename(f.path);
    throw error;
  };
}
