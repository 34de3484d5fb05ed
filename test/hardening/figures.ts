/**
 * The hardening suites print what they tried in one recognisable line each, so docs/SECURITY.md
 * quotes figures the suites actually produced.
 */
export function reportFigures(suite: string, figures: Record<string, unknown>): void {
  console.log(`[figures] ${suite}: ${JSON.stringify(figures)}`);
}

/** A response a client could see: never a stack trace, a file path or an internal error's text. */
export function leaksInternals(body: string): boolean {
  return /\n\s+at |node_modules|\.ts:\d+|\.js:\d+|SQLITE_|LibsqlError|TypeError|ReferenceError/.test(body);
}
