/**
 * issue 18: the new monitor settings between the API and the row: JSON columns, the sealed
 * credentials (src/crypto/secret-box.ts), the tcp target kept as tcp://host:port in `url`.
 */
import { tcpTargetOf, tcpUrl } from '../checker/kinds/tcp.js';
import { checkHostAllowed } from '../checker/ssrf.js';
import { secretBoxFor } from '../crypto/secret-box.js';
import type { monitors } from '../db/schema.js';
import { badInput } from '../domain/errors.js';
import type { Services } from '../services.js';
import type { AuthInput } from './request-settings.js';
import type { CreateMonitorInput, UpdateMonitorInput } from './schemas.js';

type MonitorRow = typeof monitors.$inferSelect;
type Columns = Partial<typeof monitors.$inferInsert>;

/** The credential, sealed: the Authorization header value is what gets encrypted. */
function sealAuth(svc: Services, auth: NonNullable<AuthInput>): string {
  const header =
    auth.type === 'basic'
      ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`
      : `Bearer ${auth.token}`;
  return secretBoxFor(svc.config).seal(header);
}

/** The Authorization header for the probe, or nothing. Only the checker calls this. */
export function openAuthHeader(svc: Services, m: Pick<MonitorRow, 'authSealed'>): Record<string, string> {
  return m.authSealed ? { authorization: secretBoxFor(svc.config).open(m.authSealed) } : {};
}

/** Columns for the settings present in the input (create: all; update: the ones given). */
export function settingsColumns(svc: Services, input: Partial<CreateMonitorInput> | Omit<UpdateMonitorInput, 'id'>, kind: MonitorRow['kind']): Columns {
  const c: Columns = {};
  if (input.headers !== undefined) c.requestHeaders = Object.keys(input.headers).length ? JSON.stringify(input.headers) : null;
  if (input.body !== undefined) c.requestBody = input.body;
  if (input.auth !== undefined) {
    c.authType = input.auth?.type ?? null;
    c.authSealed = input.auth ? sealAuth(svc, input.auth) : null;
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

/** tcp targets go through the same guard as URLs; a name that does not resolve yet is accepted. */
export async function assertHostAllowed(svc: Services, host: string): Promise<void> {
  if (svc.config.allowPrivateTargets) return;
  const check = await checkHostAllowed(host, false);
  if (!check.ok && check.reason !== 'DNS lookup failed') {
    throw badInput('host', `host points to a private or loopback address; only public addresses can be monitored`);
  }
}

/** The settings as the APIs show them (never the credential). */
export function settingsView(m: MonitorRow) {
  const tcp = m.kind === 'tcp' && m.url ? tcpTargetOf(m.url) : null;
  return {
    kind: m.kind,
    url: m.kind === 'heartbeat' ? null : m.url,
    host: tcp?.host ?? null,
    port: tcp?.port ?? null,
    headers: m.requestHeaders ? (JSON.parse(m.requestHeaders) as Record<string, string>) : {},
    body: m.requestBody,
    auth: m.authType ? { type: m.authType, set: true as const } : null,
    keywordMode: m.keywordMode,
    keywordCaseSensitive: m.keywordCaseSensitive,
    degradedAboveMs: m.degradedAboveMs,
    tags: JSON.parse(m.tags) as string[],
    graceSeconds: m.graceSeconds,
    lastPingAt: m.lastPingAt === null ? null : new Date(m.lastPingAt).toISOString(),
  };
}

/** Settings whose change makes the last verdict stale, so an edit to them triggers a check. */
export const CHECK_AFFECTING = [
  'url', 'method', 'keyword', 'expectedStatusCodes', 'host', 'port', 'headers', 'body', 'auth', 'keywordMode', 'keywordCaseSensitive', 'timeoutMs',
] as const;
