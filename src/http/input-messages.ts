import * as z from 'zod';

/**
 * How every door words input that is missing, of the wrong type, or not a field at all. A schema's
 * own message (a rule about a value: "must be at least 60") still wins; these fill in where a
 * schema says nothing, so a missing field "is required", a wrong type names what was expected and
 * what arrived ("must be a string, not a number"), and an unknown key names the field it was
 * probably meant to be. Installed once, when the doors' error mapping loads (./errors.ts).
 */
export function inputMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'is required';
    // A JSON object is what a record (headers) is written as.
    const expected = withArticle(issue.expected === 'record' ? 'object' : String(issue.expected));
    // A query value that z.coerce could not read as a number ("abc") arrives as NaN.
    if (Number.isNaN(issue.input)) return `must be ${expected}`;
    return `must be ${expected}, not ${withArticle(typeOf(issue.input))}`;
  }
  if (issue.code === 'unrecognized_keys') return unknownKeysMessage(issue.keys, knownKeysOf(issue.inst));
  return undefined;
}

z.config({ customError: inputMessage });

/** One unknown key: "unknown field; did you mean intervalSeconds?", or the fields there are. */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  if (keys.length !== 1) return 'unknown field';
  const near = nearest(keys[0]!, known);
  if (near) return `unknown field; did you mean ${near}?`;
  return known.length > 0 && known.length <= 12 ? `unknown field; the fields are ${known.join(', ')}` : 'unknown field';
}

function knownKeysOf(inst: unknown): string[] {
  const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const withArticle = (type: string) => (type === 'null' || type === 'undefined' ? type : `${/^[aeio]/.test(type) ? 'an' : 'a'} ${type}`);

/** The known key closest to a typo: case-insensitive edit distance at most a third of its length (at least 2). */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    // A distance as long as the word is a different word, not a typo of it ("zz" is not "id").
    if (d < bestDistance && d < Math.min(key.length, candidate.length)) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}
