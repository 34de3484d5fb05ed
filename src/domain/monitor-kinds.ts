/**
 * The closed sets a monitor's settings take their values from. Here rather than in the table
 * definitions (src/db/schema.ts re-exports them) so the input schemas the app's forms import carry
 * no database code.
 */
export const MONITOR_KINDS = ['http', 'tcp', 'heartbeat'] as const;
export const MONITOR_METHODS = ['GET', 'HEAD', 'POST'] as const;
export const KEYWORD_MODES = ['present', 'absent'] as const;
