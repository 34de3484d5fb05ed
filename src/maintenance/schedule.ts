/**
 * When a maintenance window is in force (pure; time-zone maths with Intl, no date library).
 */
export type WindowTimes =
  | { kind: 'once'; startsAt: number; endsAt: number }
  | { kind: 'weekly'; weekday: number; startTime: string; durationMinutes: number; timeZone: string };

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Offset of `timeZone` from UTC at instant `t`, in ms (e.g. +3_600_000 for Europe/Paris in winter). */
export function zoneOffsetMs(t: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - (t - (t % 1000));
}

/** The instant of a wall-clock time in a zone (the later reading when DST makes it ambiguous). */
export function zonedTimeToUtc(y: number, m: number, d: number, hh: number, mm: number, timeZone: string): number {
  const guess = Date.UTC(y, m, d, hh, mm);
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}

/** The local calendar date and weekday of instant t in a zone. */
function localDate(t: number, timeZone: string): { y: number; m: number; d: number; weekday: number } {
  const local = new Date(t + zoneOffsetMs(t, timeZone));
  return { y: local.getUTCFullYear(), m: local.getUTCMonth(), d: local.getUTCDate(), weekday: local.getUTCDay() };
}

/** The [start, end) of the occurrence of the window in force at `now`, or null. */
export function activeOccurrence(w: WindowTimes, now: number): { start: number; end: number } | null {
  if (w.kind === 'once') return now >= w.startsAt && now < w.endsAt ? { start: w.startsAt, end: w.endsAt } : null;
  const [hh, mm] = w.startTime.split(':').map(Number) as [number, number];
  const today = localDate(now, w.timeZone);
  // A window lasts at most a week, so the occurrence in force began within the last 7 local days.
  for (let back = 0; back <= 7; back++) {
    const day = new Date(Date.UTC(today.y, today.m, today.d - back));
    if (day.getUTCDay() !== w.weekday) continue;
    const start = zonedTimeToUtc(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hh, mm, w.timeZone);
    const end = start + w.durationMinutes * 60_000;
    if (now >= start && now < end) return { start, end };
  }
  return null;
}

export const weekdayName = (n: number) => WEEKDAYS[n] ?? '?';

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
