/**
 * One JSON line per event. Callers pass named fields, never whole requests, headers or errors with
 * their causes, so credentials cannot reach the logs by accident.
 */
export type Logger = {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
};

type Sink = (line: string) => void;

export function createLogger(sink: Sink = (line) => process.stdout.write(line + '\n')): Logger {
  const emit = (level: string) => (event: string, fields: Record<string, unknown> = {}) =>
    sink(JSON.stringify({ level, event, time: new Date().toISOString(), ...fields }));
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/**
 * The name and message of an error, for logs: no stack. Drizzle's "Failed query" message carries
 * the bound parameters (password and secret hashes among them), so only its SQL and its cause's
 * message are kept.
 */
export function describeError(error: unknown): { error: string } {
  if (!(error instanceof Error)) return { error: String(error).slice(0, 300) };
  let text = `${error.name}: ${error.message}`;
  if (error.message.startsWith('Failed query:')) {
    const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : 'unknown cause';
    text = `${error.message.split('\nparams:')[0]} (${cause})`;
  }
  return { error: text.slice(0, 300) };
}
