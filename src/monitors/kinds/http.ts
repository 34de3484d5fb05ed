import { secretBoxFor } from '../../crypto/secret-box.js';
import type { MonitorRow } from '../../db/schema.js';
import { badInput } from '../../domain/errors.js';
import { targetUrlProblem } from '../../net/ssrf.js';
import { runProbeRequest } from '../../probes/request.js';
import type { Services } from '../../services.js';
import { openCredential, sameOrigin, sealAuth } from './credentials.js';
import { HTTP_CHECK_AFFECTING, httpFields } from './http.input.js';
import { copied, isProbeRequest, type Columns, type MonitorKind, type SettingsOf } from './kind.js';

/**
 * An http monitor: fetches its URL with its request settings (headers, body, sealed credentials)
 * and judges the answer by status code, keyword and response time.
 */
export type HttpSettings = SettingsOf<typeof httpFields>;

export const httpKind: MonitorKind<HttpSettings> = {
  name: 'http',
  fields: Object.keys(httpFields),
  checkAffecting: HTTP_CHECK_AFFECTING,
  confirmsFailures: true,
  notCheckableNow: null,

  async write(svc, s, { id, before }) {
    assertKeywordReadable(s.method ?? before?.method ?? 'GET', s.keyword !== undefined ? s.keyword : (before?.keyword ?? null));
    const url = s.url ?? before!.url;
    const moved = s.url !== undefined && s.url !== before?.url;
    if (moved) await assertUrlAllowed(svc, url);
    const columns: Columns = copied(s, ['url', 'method', 'timeoutMs', 'expectedStatusCodes', 'keyword', 'keywordMode', 'keywordCaseSensitive', 'degradedAboveMs']);
    if (s.headers !== undefined) columns.requestHeaders = Object.keys(s.headers).length ? JSON.stringify(s.headers) : null;
    if (s.body !== undefined) columns.requestBody = s.body;
    if (s.auth !== undefined) {
      columns.authType = s.auth?.type ?? null;
      columns.authSealed = s.auth ? sealAuth(svc.config, s.auth, id, url) : null;
    }
    // Credentials are sealed for one origin: a URL moved to another origin loses them (they would
    // follow it to whoever runs that host) unless the same edit enters new ones.
    const credentialsCleared = Boolean(before && moved && before.authSealed !== null && s.auth === undefined && !sameOrigin(before.url, url));
    if (credentialsCleared) Object.assign(columns, { authType: null, authSealed: null });
    return { columns, credentialsCleared };
  },

  shownUrl: (m) => m.url,

  wire: (m) => ({
    headers: m.requestHeaders ? (JSON.parse(m.requestHeaders) as Record<string, string>) : {},
    body: m.requestBody,
    auth: m.authType ? { type: m.authType, set: true as const } : null,
    keywordMode: m.keywordMode,
    keywordCaseSensitive: m.keywordCaseSensitive,
    degradedAboveMs: m.degradedAboveMs,
  }),

  async check(svc, m, opts) {
    const request = httpKind.probeRequest!(svc, m);
    return isProbeRequest(request) ? runProbeRequest(request, opts) : request;
  },

  probeRequest(svc, m) {
    let authorization: string | null;
    try {
      authorization = m.authSealed ? openCredential(secretBoxFor(svc.config), m.authSealed, m.id, m.url) : null;
    } catch {
      // A missing or rotated-away key: a failed check that says why, never the credential.
      return { ok: false, statusCode: null, responseTimeMs: 0, reason: 'credentials could not be decrypted', certExpiresAt: null };
    }
    return {
      kind: 'http',
      target: {
        url: m.url,
        method: m.method,
        timeoutMs: m.timeoutMs,
        expectedStatusCodes: m.expectedStatusCodes,
        keyword: m.keyword,
        keywordMode: m.keywordMode,
        keywordCaseSensitive: m.keywordCaseSensitive,
        headers: m.requestHeaders ? (JSON.parse(m.requestHeaders) as Record<string, string>) : {},
        authorization,
        body: m.requestBody,
      },
      degradedAboveMs: m.degradedAboveMs,
    };
  },
};

/** A HEAD response has no body, so a keyword could never be found: refuse the pair up front. */
function assertKeywordReadable(method: MonitorRow['method'], keyword: string | null): void {
  if (method === 'HEAD' && keyword) {
    throw badInput('keyword', 'a HEAD request returns no body to search; use GET or remove the keyword');
  }
}

/** The SSRF guard at the door: private and loopback targets are refused unless the deployment allows them; link-local and metadata always. */
async function assertUrlAllowed(svc: Services, url: string): Promise<void> {
  const problem = await targetUrlProblem(new URL(url), svc.config.allowPrivateTargets, {}, svc.config.namesSettings);
  if (problem) throw badInput('url', problem);
}
