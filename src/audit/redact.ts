import { originOf } from '../domain/hidden.js';
import { isVerifiedKind } from '../domain/verified-kinds.js';

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
 * An alert contact's changed fields for the audit log. A webhook, Slack or Discord URL carries its
 * token in the path or query, so only its scheme and host are recorded; an email address or phone number is kept.
 * Signing secrets and verification codes are never passed here.
 */
export function contactChanges(kind: string, fields: { name?: string; target?: string; kind?: string; status?: string }): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  if (typeof fields.target === 'string' && !isVerifiedKind(kind)) out.target = originOf(fields.target);
  return out;
}
