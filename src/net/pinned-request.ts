/**
 * One HTTP(S) request to addresses the SSRF guard has already checked: the probe's and the alert
 * sender's only way out. The socket is handed exactly those addresses through a pinned `lookup`,
 * so no second DNS query (DNS rebinding) can change where it connects.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

export type PinnedRequest = {
  url: URL;
  /** url.hostname without IPv6 brackets. */
  host: string;
  method: string;
  headers: http.OutgoingHttpHeaders;
  body?: string | Buffer;
  /** What checkHostAllowed returned for `host`: the only addresses this request may connect to. */
  addresses: string[];
  signal: AbortSignal;
  /** Tests only: extra trusted CA certificate(s) (PEM); verification stays on. */
  ca?: string | undefined;
};

// Fresh connection per request: never reuse a socket (it could be to an address checked earlier).
const httpAgent = new http.Agent({ keepAlive: false });
const httpsAgent = new https.Agent({ keepAlive: false });

/** Resolves with the response once its headers arrive; the caller reads or destroys it. */
export function pinnedRequest(r: PinnedRequest): Promise<http.IncomingMessage> {
  const isHttps = r.url.protocol === 'https:';
  const literal = isIP(r.host) !== 0;
  const lookup: LookupFunction = (_hostname, options, callback) => {
    const first = r.addresses[0];
    if (first === undefined) {
      const err: NodeJS.ErrnoException = new Error('no address');
      err.code = 'ENOTFOUND';
      callback(err, '');
    } else if (options.all) {
      callback(null, r.addresses.map((address) => ({ address, family: isIP(address) })));
    } else {
      callback(null, first, isIP(first));
    }
  };
  const options: https.RequestOptions = {
    protocol: r.url.protocol,
    hostname: r.host,
    port: r.url.port === '' ? undefined : Number(r.url.port),
    path: `${r.url.pathname}${r.url.search}`,
    method: r.method,
    headers: r.headers,
    // URL credentials (user:pass@) are deliberately never turned into `auth`.
    agent: isHttps ? httpsAgent : httpAgent,
    lookup: literal ? undefined : lookup,
    signal: r.signal,
  };
  if (isHttps) {
    options.rejectUnauthorized = true;
    if (r.ca !== undefined) options.ca = r.ca;
    // SNI and certificate checks stay on the hostname even though we connect to a resolved IP.
    if (!literal) options.servername = r.host;
  }
  return new Promise((resolve, reject) => {
    const req = (isHttps ? https : http).request(options, resolve);
    req.on('error', reject);
    req.end(r.body);
  });
}
