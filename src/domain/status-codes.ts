/**
 * Expected HTTP status codes as people write them: "200-299,301" — single codes and inclusive
 * ranges, comma-separated. Stored in this normalised text form.
 */
export type StatusRange = readonly [from: number, to: number];

export const DEFAULT_EXPECTED_STATUS = '200-399';
const PART = /^([1-5]\d\d)(?:-([1-5]\d\d))?$/;

/** Parses and normalises; returns an error message a person can act on for anything else. */
export function parseStatusCodes(text: string): { ranges: StatusRange[]; normalised: string } | { error: string } {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return { error: 'give at least one status code or range, e.g. 200-299' };
  if (parts.length > 20) return { error: 'at most 20 codes or ranges' };
  const ranges: StatusRange[] = [];
  for (const part of parts) {
    const m = PART.exec(part);
    if (!m) return { error: `"${part}" is not a status code (100-599) or a range like 200-299` };
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    if (to < from) return { error: `range "${part}" ends before it starts` };
    ranges.push([from, to]);
  }
  const normalised = ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
  return { ranges, normalised };
}

export function statusMatches(status: number, expected: string): boolean {
  const parsed = parseStatusCodes(expected);
  if ('error' in parsed) return status >= 200 && status < 400;
  return parsed.ranges.some(([a, b]) => status >= a && status <= b);
}
