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

/** The name and message of an error, for logs: no stack, no cause chain. */
export function describeError(error: unknown): { error: string } {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`.slice(0, 300) };
  return { error: String(error).slice(0, 300) };
}
