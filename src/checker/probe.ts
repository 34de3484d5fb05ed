/**
 * The HTTP probe: one check of one monitor's URL.
 *
 * Built on node:http/node:https `request()` rather than fetch so DNS is under our control: every
 * hop's hostname is resolved once, EVERY address is checked by the SSRF guard, and the socket is
 * handed exactly those addresses through a pinned `lookup` (no second lookup for DNS rebinding to
 * change). IP-literal hosts never reach `lookup` in Node, so they are checked before connecting.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import zlib from 'node:zlib';
import { statusMatches } from '../domain/status-codes.js';
import { checkHostAllowed, type HostResolver } from './ssrf.js';

export type ProbeTarget = {
  url: string;
  method: 'GET' | 'HEAD' | 'POST';
  /** 1000–30000; the whole probe including redirects and reading the body. */
  timeoutMs: number;
  /** e.g. "200-399" */
  expectedStatusCodes: string;
  /** When set, the body must contain it (case-sensitive, within the first 1 MiB). */
  keyword: string | null;
};

export type ProbeResult = {
  ok: boolean;
  /** Status of the final response; null when no response was received. */
  statusCode: number | null;
  /** Integer ms, the whole probe. */
  responseTimeMs: number;
  /** null when ok; else short and human, e.g. "HTTP 503", "timeout after 10000 ms". */
  reason: string | null;
  /** For https targets, validTo of the leaf certificate of the monitor's own URL. */
  certExpiresAt: Date | null;
};

export type ProbeOptions = {
  allowPrivateTargets: boolean;
  userAgent?: string;
  /** Tests only: replaces DNS resolution. */
  resolve?: HostResolver;
  /** Tests only: replaces the SSRF address guard (used when allowPrivateTargets is false). */
  isForbidden?: (ip: string) => boolean;
  /** Tests only: extra trusted CA certificate(s) (PEM); verification stays on. */
  ca?: string;
};

export const DEFAULT_USER_AGENT = 'Vigil-Uptime/1.0 (+https://vigil.example)';
export const MAX_REDIRECTS = 5;
export const MAX_SCANNED_BODY_BYTES = 1024 * 1024;
const MIN_TIMEOUT_MS = 1000;
const MAX_TIMEOUT_MS = 30_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// Fresh connection per probe: never reuse a socket (it could be to an address checked earlier).
const httpAgent = new http.Agent({ keepAlive: false });
const httpsAgent = new https.Agent({ keepAlive: false });

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

    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new ProbeFailure(hop === 0 ? 'unsupported protocol' : 'invalid redirect');
      }
      const host = unbracket(url.hostname);
      const check = await raceAbort(
        checkHostAllowed(host, opts.allowPrivateTargets, { resolve: opts.resolve, isForbidden: opts.isForbidden }),
        signal,
      );
      if (!check.ok) throw new ProbeFailure(check.reason);

      const res = await send(url, host, method, check.addresses, signal, opts);
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
      const found = await bodyContains(res, target.keyword, signal);
      return done(found ? null : 'keyword not found');
    }
  } catch (err) {
    return done(timedOut ? `timeout after ${timeoutMs} ms` : probeFailureReason(err));
  } finally {
    clearTimeout(timer);
    controller.abort(); // tears down anything still open
  }
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
): Promise<http.IncomingMessage> {
  const isHttps = url.protocol === 'https:';
  const literal = isIP(host) !== 0;
  // Pinned lookup: hands the socket exactly the addresses the guard checked; never queries DNS again.
  const lookup: LookupFunction = (_hostname, options, callback) => {
    const first = addresses[0];
    if (first === undefined) {
      const err: NodeJS.ErrnoException = new Error('no address');
      err.code = 'ENOTFOUND';
      callback(err, '');
    } else if (options.all) {
      callback(null, addresses.map((address) => ({ address, family: isIP(address) })));
    } else {
      callback(null, first, isIP(first));
    }
  };
  const headers: http.OutgoingHttpHeaders = { 'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT, accept: '*/*' };
  if (method === 'POST') headers['content-length'] = '0';

  const options: https.RequestOptions = {
    protocol: url.protocol,
    hostname: host,
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    method,
    headers,
    // URL credentials (user:pass@) are deliberately never turned into `auth`.
    agent: isHttps ? httpsAgent : httpAgent,
    lookup: literal ? undefined : lookup,
    signal,
  };
  if (isHttps) {
    options.rejectUnauthorized = true;
    if (opts.ca !== undefined) options.ca = opts.ca;
    // SNI and certificate checks stay on the hostname even though we connect to a resolved IP.
    if (!literal) options.servername = host;
  }

  return new Promise((resolve, reject) => {
    const req = (isHttps ? https : http).request(options, resolve);
    req.on('error', reject);
    req.end();
  });
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
 * Streams at most MAX_SCANNED_BODY_BYTES (decoded) looking for `keyword`; stops as soon as it is found
 * or the limit is reached. Only a tail of keyword-length bytes is kept between chunks.
 */
function bodyContains(res: http.IncomingMessage, keyword: string, signal: AbortSignal): Promise<boolean> {
  const needle = Buffer.from(keyword, 'utf8');
  const stream = decoded(res);
  return new Promise<boolean>((resolve, reject) => {
    let seen = 0;
    let tail = Buffer.alloc(0);
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
      const window = tail.length === 0 ? part : Buffer.concat([tail, part]);
      if (window.includes(needle)) return finish(true);
      if (seen >= MAX_SCANNED_BODY_BYTES) return finish(false);
      tail = Buffer.from(window.subarray(Math.max(0, window.length - (needle.length - 1))));
    });
    stream.on('end', () => finish(false));
    stream.on('error', (e) => finish(e));
    res.on('error', (e) => finish(e));
    res.on('aborted', () => finish(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
  });
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; errors?: unknown };
  if (typeof e.code === 'string') return e.code;
  // Node's happy-eyeballs connect reports an AggregateError when every address fails.
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const c = errorCode(inner);
      if (c) return c;
    }
  }
  return undefined;
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_|EPROTO/;

export function probeFailureReason(err: unknown): string {
  if (err instanceof ProbeFailure) return err.reason;
  const code = errorCode(err);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
      return 'DNS lookup failed';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection reset';
    case 'CERT_HAS_EXPIRED':
      return 'TLS certificate expired';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'ENETUNREACH':
      return 'network unreachable';
  }
  // zlib (Z_DATA_ERROR, …) and brotli (ERR__ERROR_FORMAT_…) decoding failures
  if (code?.startsWith('Z_') || code?.startsWith('ERR__ERROR_')) return 'invalid compressed body';
  if (code?.startsWith('HPE_')) return 'invalid HTTP response';
  if (code && TLS_CODE.test(code)) return `TLS error: ${code}`;
  if (code) return `network error: ${code}`;
  const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : '';
  return message ? `probe failed: ${message.slice(0, 120)}` : 'probe failed';
}
