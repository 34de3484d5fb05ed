/**
 * The closed lists of words that the database's columns, the input schemas and the app share. They
 * live here, not beside the tables (db/schema.ts), so that a schema the browser app validates with
 * brings no database code into its bundle.
 */
export const MONITOR_KINDS = ['http', 'tcp', 'heartbeat'] as const;
export const MONITOR_METHODS = ['GET', 'HEAD', 'POST'] as const;
export const KEYWORD_MODES = ['present', 'absent'] as const;

export const CONTACT_KINDS = ['email', 'webhook', 'slack', 'discord'] as const;
export const CONTACT_STATUSES = ['pending', 'active'] as const;
export const ALERT_EVENT_TYPES = ['monitor.down', 'monitor.up', 'certificate.expiring', 'test'] as const;
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
