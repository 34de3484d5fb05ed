/**
 * Every credential a test hands out, and every log line an app under test writes, in this test
 * file. test/support/no-secrets-in-logs.ts checks after each file that no credential was logged.
 */
const secrets = new Set<string>();
const sinks: string[][] = [];

/** Long enough to be a real credential, so no common word is mistaken for one. */
export function rememberSecret(value: string | undefined | null): void {
  if (value && value.length >= 12) secrets.add(value);
}

export function watchLogs(lines: string[]): void {
  sinks.push(lines);
}

export function leakedSecrets(): { leaked: string[]; lines: number; secrets: number } {
  const text = sinks.map((lines) => lines.join('\n')).join('\n');
  return { leaked: [...secrets].filter((s) => text.includes(s)), lines: sinks.reduce((n, l) => n + l.length, 0), secrets: secrets.size };
}
