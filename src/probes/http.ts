/**
 * The HTTP probe: one check of one monitor's URL.
 *
 * Built on node:http/node:https `request()` rather than fetch so DNS is under our control: every
 * hop's hostname is resolved once, EVERY address is checked by the SSRF guard, and the socket is
 * handed exactly those addresses (net/pinned-request.ts; no second lookup for DNS rebinding to
 * change). IP-literal hosts never reach `lookup` in Node, so they are checked before connecting.
 */
import type http from 'node:http';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { TLSSocket } from 'node:tls';
import zlib from 'node:zlib';
import { statusMatches } from '../domain/status-codes.js';
import { requestFailureReason } from '../net/failure-reason.js';
import { pinnedRequest } from '../net/pinned-request.js';
import { checkHostAllowed, withPrivateTargetsHint } from '../net/ssrf.js';
import type { ProbeOptions, ProbeResult } from './result.js';

export type { ProbeOptions, ProbeResult };

export type ProbeTarget = {
  url: string;
  method: 'GET' | 'HEAD' | 'POST';
  /** 1000–30000; the whole probe including redirects and reading the body. */
  timeoutMs: number;
  /** e.g. "200-399" */
  expectedStatusCodes: string;
  /** When set, the body must contain it (or, with keywordMode 'absent', must not), within the first 1 MiB. */
  keyword: string | null;
  // Request settings: optional, so a plain GET needs none of them.
  /** 'present' (default) or 'absent'. */
  keywordMode?: 'present' | 'absent';
  /** Default false: the keyword matches whatever its case. */
  keywordCaseSensitive?: boolean;
  /** Extra request headers, validated at input (no hop-by-hop, no Host, no Authorization). Sent to the monitor's own origin only. */
  headers?: Record<string, string>;
  /** The Authorization header value opened from the monitor's sealed credentials. Sent to the monitor's own origin only. */
  authorization?: string | null;
  /** Sent with POST only (dropped when a redirect turns the request into a GET). */
  body?: string | null;
};

export const DEFAULT_USER_AGENT = 'Vigil-Uptime/1.0 (+https://vigil.example)';
export const MAX_REDIRECTS = 5;
export const MAX_SCANNED_BODY_BYTES = 1024 * 1024;
const MIN_TIMEOUT_MS = 1000;
const MAX_TIMEOUT_MS = 30_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A failure whose reason is already human-readable. */
class ProbeFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

class Aborted extends Error {}

export async function probe(target: ProbeTarget, opts: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const timeoutMs = clampTimeout(target.timeoutMs);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);

  let statusCode: number | null = null;
  let certExpiresAt: Date | null = null;
  const done = (reason: string | null): ProbeResult => ({
    ok: reason === null,
    statusCode,
    responseTimeMs: Math.max(0, Math.round(performance.now() - started)),
    reason,
    certExpiresAt,
  });

  try {
    const signal = controller.signal;
    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      return done('invalid url');
    }
    let method: ProbeTarget['method'] = target.method;
    // The monitor's headers and credentials are meant for its own origin: a redirect elsewhere
    // drops them for the rest of the chain (as fetch drops Authorization), and a redirect from
    // https to http while they would still be sent is refused rather than sent in the clear.
    let own = true;

    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new ProbeFailure(hop === 0 ? 'unsupported protocol' : 'invalid redirect');
      }
      const host = unbracket(url.hostname);
      const check = await raceAbort(
        checkHostAllowed(host, opts.allowPrivateTargets, { resolve: opts.resolve, isForbidden: opts.isForbidden }),
        signal,
      );
      if (!check.ok) throw new ProbeFailure(withPrivateTargetsHint(check.reason, opts.namesSettings ?? false));

      const res = await send(url, host, method, check.addresses, signal, opts, own ? target : { body: target.body });
      if (hop === 0 && url.protocol === 'https:') certExpiresAt = readCertExpiry(res);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;

      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        res.destroy();
        statusCode = status;
        if (hop >= MAX_REDIRECTS) throw new ProbeFailure('too many redirects');
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new ProbeFailure('invalid redirect');
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new ProbeFailure('invalid redirect');
        if (own && url.protocol === 'https:' && next.protocol === 'http:' && carriesCredentials(target)) {
          throw new ProbeFailure(HTTPS_TO_HTTP_REFUSED);
        }
        if (next.origin !== url.origin) own = false;
        // fetch semantics: 303 → GET (except HEAD); 301/302 turn POST into GET.
        if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
          method = 'GET';
        }
        url = next;
        continue;
      }

      statusCode = status;
      if (!statusMatches(status, target.expectedStatusCodes)) {
        res.destroy();
        return done(`HTTP ${status}`);
      }
      if (!target.keyword) {
        res.destroy(); // drop the body unread
        return done(null);
      }
      const found = await bodyContains(res, target.keyword, target.keywordCaseSensitive ?? false, signal);
      if (target.keywordMode === 'absent') return done(found ? 'keyword present' : null);
      return done(found ? null : 'keyword not found');
    }
  } catch (err) {
    return done(timedOut ? `timeout after ${timeoutMs} ms` : probeFailureReason(err));
  } finally {
    clearTimeout(timer);
    controller.abort(); // tears down anything still open
  }
}

/** The failure reason of a redirect that would carry the monitor's credentials from https to http. */
export const HTTPS_TO_HTTP_REFUSED = 'redirect from https to http refused: the request carries credentials';

/** Whether the request carries credentials: the monitor's Authorization or a Cookie header. */
function carriesCredentials(target: Pick<ProbeTarget, 'headers' | 'authorization'>): boolean {
  return Boolean(target.authorization) || Object.keys(target.headers ?? {}).some((name) => name.toLowerCase() === 'cookie');
}

function clampTimeout(ms: number): number {
  if (!Number.isFinite(ms)) return MAX_TIMEOUT_MS;
  return Math.min(MAX_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, Math.round(ms)));
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** One request to one URL; resolves with the response once headers arrive. */
function send(
  url: URL,
  host: string,
  method: ProbeTarget['method'],
  addresses: string[],
  signal: AbortSignal,
  opts: ProbeOptions,
  target: Pick<ProbeTarget, 'headers' | 'authorization' | 'body'> = {},
): Promise<http.IncomingMessage> {
  const headers: http.OutgoingHttpHeaders = { 'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT, accept: '*/*' };
  // The monitor's own headers (validated at input) go on top of the defaults, then its credentials.
  for (const [name, value] of Object.entries(target.headers ?? {})) headers[name.toLowerCase()] = value;
  if (target.authorization) headers.authorization = target.authorization;
  const body = method === 'POST' && target.body ? Buffer.from(target.body, 'utf8') : undefined;
  if (method === 'POST') headers['content-length'] = String(body?.length ?? 0);
  return pinnedRequest({ url, host, method, headers, body, addresses, signal, ca: opts.ca });
}

function readCertExpiry(res: http.IncomingMessage): Date | null {
  try {
    const socket = res.socket as TLSSocket | null;
    const cert = socket?.getPeerCertificate?.();
    if (!cert?.valid_to) return null;
    const date = new Date(cert.valid_to);
    return Number.isNaN(date.getTime()) ? null : date;
  } catch {
    return null;
  }
}

function decoded(res: http.IncomingMessage): Readable {
  const enc = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (enc === 'gzip' || enc === 'x-gzip') return res.pipe(zlib.createGunzip());
  if (enc === 'deflate') return res.pipe(zlib.createInflate());
  if (enc === 'br') return res.pipe(zlib.createBrotliDecompress());
  return res;
}

/**
 * Streams at most MAX_SCANNED_BODY_BYTES (decoded) looking for `keyword`; stops as soon as it is
 * found or the limit is reached. Text is decoded as UTF-8 (a character split across chunks is kept
 * whole) and only a tail of keyword-length characters is kept between chunks.
 */
function bodyContains(res: http.IncomingMessage, keyword: string, caseSensitive: boolean, signal: AbortSignal): Promise<boolean> {
  const fold = (text: string) => (caseSensitive ? text : text.toLowerCase());
  const needle = fold(keyword);
  const utf8 = new StringDecoder('utf8');
  const stream = decoded(res);
  return new Promise<boolean>((resolve, reject) => {
    let seen = 0;
    let tail = '';
    let settled = false;
    const finish = (result: boolean | Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      res.destroy();
      if (stream !== res) stream.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onAbort = () => finish(new Aborted());
    signal.addEventListener('abort', onAbort, { once: true });

    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      const room = MAX_SCANNED_BODY_BYTES - seen;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      seen += part.length;
      const window = tail + fold(utf8.write(part));
      if (window.includes(needle)) return finish(true);
      if (seen >= MAX_SCANNED_BODY_BYTES) return finish(false);
      tail = window.slice(Math.max(0, window.length - (needle.length - 1)));
    });
    stream.on('end', () => finish(false));
    stream.on('error', (e) => finish(e));
    res.on('error', (e) => finish(e));
    res.on('aborted', () => finish(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
  });
}

/** Why the probe failed: its own reasons first, then the network's (net/failure-reason.ts). */
export function probeFailureReason(err: unknown): string {
  if (err instanceof ProbeFailure) return err.reason;
  return requestFailureReason(err, 'probe');
}
