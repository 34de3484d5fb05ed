import type { api } from '../../api/client';

export type Window = Awaited<ReturnType<typeof api.maintenance.list.query>>['items'][number];

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A window's time in words: a one-off's start and end in the browser's zone, a weekly one in its own zone. */
export function describeWhen(w: Window): string {
  if (w.kind === 'once') return `${when(w.startsAt ?? '')} to ${when(w.endsAt ?? '')}`;
  const hours = Math.floor((w.durationMinutes ?? 0) / 60);
  const minutes = (w.durationMinutes ?? 0) % 60;
  const lasts = [hours && `${hours} h`, minutes && `${minutes} min`].filter(Boolean).join(' ');
  return `Every ${WEEKDAYS[w.weekday ?? 0]} at ${w.startTime} for ${lasts} (${w.timeZone})`;
}

/** An instant as the value of a datetime-local input, in the browser's zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A datetime-local value (the browser's zone) as the API's ISO instant; empty stays empty, for the schema to name. */
export function fromLocalInput(value: string): string {
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
