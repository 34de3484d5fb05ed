import { originOf } from '../domain/hidden.js';

/**
 * A monitor's changed fields for the audit log, never its secrets. A URL may carry credentials or
 * tokens (user:pass@, ?token=…), so only its scheme and host are recorded; target credentials
 * become their type, request headers their names (values are often API keys), a body its size.
 */
export function monitorChanges(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  if (typeof fields.url === 'string') out.url = originOf(fields.url);
  if (fields.auth !== undefined) {
    const type = (fields.auth as { type?: unknown } | null)?.type;
    out.auth = typeof type === 'string' ? { type, set: true } : null;
  }
  if (fields.headers && typeof fields.headers === 'object') out.headers = Object.keys(fields.headers);
  if (typeof fields.body === 'string') out.body = `(${Buffer.byteLength(fields.body, 'utf8')} bytes)`;
  return out;
}

/**
 * An alert contact's changed fields for the audit log. A URL target (a webhook's, a chat
 * service's) may carry its token in the path or query, so only its scheme and host are recorded;
 * an email address or a chat id is kept. A secret is recorded as set or removed, never itself; nor
 * is a verification code passed here.
 */
export function contactChanges(
  targetIsUrl: boolean,
  fields: { name?: string; target?: string; kind?: string; status?: string; secret?: 'set' | 'removed' },
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  if (typeof fields.target === 'string' && targetIsUrl) out.target = originOf(fields.target);
  return out;
}
