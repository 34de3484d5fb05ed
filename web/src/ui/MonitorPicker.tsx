import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { api } from '../api/client';

/** Every monitor of the account, for a form that chooses some (read page by page; a page holds at most 100). */
async function allMonitors() {
  const items: { id: string; name: string }[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof api.monitors.list.query>> = await api.monitors.list.query({ limit: 100, cursor });
    items.push(...page.items.map((m) => ({ id: m.id, name: m.name })));
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export const monitorNamesQuery = { queryKey: ['monitors', 'names'], queryFn: allMonitors };

/** The monitors' names by id, for lists that show which monitors something covers. */
export function useMonitorNames(): Map<string, string> {
  const monitors = useQuery(monitorNamesQuery).data ?? [];
  return new Map(monitors.map((m) => [m.id, m.name]));
}

/**
 * A group of checkboxes, one per monitor, with its legend and its error beside it. Controlled:
 * the form keeps the chosen ids.
 */
export function MonitorPicker({ legend, chosen, onChange, error }: { legend: string; chosen: string[]; onChange: (ids: string[]) => void; error?: string | undefined }) {
  const id = useId();
  const monitors = useQuery(monitorNamesQuery);
  return (
    <fieldset className="choices" aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? true : undefined}>
      <legend>{legend}</legend>
      {monitors.isPending && <p aria-busy="true">Loading your monitors…</p>}
      {monitors.data?.length === 0 && <p className="hint">You have no monitors yet.</p>}
      {monitors.data?.map((m) => (
        <label key={m.id} className="choice">
          <input
            type="checkbox"
            value={m.id}
            checked={chosen.includes(m.id)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, m.id] : chosen.filter((c) => c !== m.id))}
          />
          {m.name}
        </label>
      ))}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
