/**
 * issue 18: the new monitor settings from the API to the row: JSON columns, the sealed
 * credentials (src/crypto/secret-box.ts), the tcp target kept as tcp://host:port in `url`. The way
 * back, row to API, is the wire shape (wire.ts); the checker opens the credentials itself.
 */
import { sealCredential } from '../checker/kinds/credentials.js';
import { tcpTargetOf, tcpUrl } from '../checker/kinds/tcp.js';
import { secretBoxFor } from '../crypto/secret-box.js';
import type { MonitorRow, monitors } from '../db/schema.js';
import type { Services } from '../services.js';
import type { AuthInput } from './fields.js';
import type { UpdateMonitorInput } from './schemas.js';

type Columns = Partial<typeof monitors.$inferInsert>;

/** The monitor the credentials are sealed for: its id and the URL they are sent to. */
export type CredentialOwner = { id: string; url: string };

/** The credential, sealed: the Authorization header value is what gets encrypted, bound to the monitor and its origin. */
function sealAuth(svc: Services, auth: NonNullable<AuthInput>, owner: CredentialOwner): string {
  const header =
    auth.type === 'basic'
      ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`
      : `Bearer ${auth.token}`;
  return sealCredential(secretBoxFor(svc.config), header, owner.id, owner.url);
}

/** Columns for the settings present in the input (create: all; update: the ones given). */
export function settingsColumns(
  svc: Services,
  input: Omit<UpdateMonitorInput, 'id' | 'kind'> & { kind?: unknown },
  kind: MonitorRow['kind'],
  owner: CredentialOwner,
): Columns {
  const c: Columns = {};
  if (input.headers !== undefined) c.requestHeaders = Object.keys(input.headers).length ? JSON.stringify(input.headers) : null;
  if (input.body !== undefined) c.requestBody = input.body;
  if (input.auth !== undefined) {
    c.authType = input.auth?.type ?? null;
    c.authSealed = input.auth ? sealAuth(svc, input.auth, owner) : null;
  }
  if (input.keywordMode !== undefined) c.keywordMode = input.keywordMode;
  if (input.keywordCaseSensitive !== undefined) c.keywordCaseSensitive = input.keywordCaseSensitive;
  if (input.degradedAboveMs !== undefined) c.degradedAboveMs = input.degradedAboveMs;
  if (input.tags !== undefined) c.tags = JSON.stringify(input.tags);
  if (input.graceSeconds !== undefined) c.graceSeconds = input.graceSeconds;
  if (kind === 'heartbeat' && c.graceSeconds === undefined && 'kind' in input) c.graceSeconds = DEFAULT_GRACE_SECONDS;
  return c;
}

export const DEFAULT_GRACE_SECONDS = 300;

/** A tcp monitor's new url from host/port edits (either may be given alone). */
export function tcpUrlAfter(before: Pick<MonitorRow, 'url'>, patch: { host?: string | undefined; port?: number | undefined }): string {
  const current = before.url ? tcpTargetOf(before.url) : { host: '', port: 0 };
  return tcpUrl(patch.host ?? current.host, patch.port ?? current.port);
}

/** Settings whose change makes the last verdict stale, so an edit to them triggers a check. */
export const CHECK_AFFECTING = [
  'url', 'method', 'keyword', 'expectedStatusCodes', 'host', 'port', 'headers', 'body', 'auth', 'keywordMode', 'keywordCaseSensitive', 'timeoutMs',
] as const;
