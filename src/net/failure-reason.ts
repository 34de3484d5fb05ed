/**
 * Why a request to a target failed, in words a user can act on: the probe's reasons, shared with
 * the alert sender so a webhook's failure reads like a monitor's.
 */

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

/**
 * A network failure in a few human words ("connection refused", "TLS error: CERT_…"), never a
 * stack or a message that may echo what was sent; `what` names the request in the fallback.
 */
export function requestFailureReason(err: unknown, what: string): string {
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
  return message ? `${what} failed: ${message.slice(0, 120)}` : `${what} failed`;
}
