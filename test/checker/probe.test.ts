import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPS_TO_HTTP_REFUSED, probeFailureReason, probe, type ProbeOptions, type ProbeTarget } from '../../src/probes/http.js';

// Test-only PKI (EC P-256), generated with openssl for these tests: a CA valid until 2126, a leaf for
// DNS:vigil-probe.test + IP:127.0.0.1 valid until 2126, and the same key in a leaf that expired 2021-01-01.
const TEST_CA = `-----BEGIN CERTIFICATE-----
MIIBhzCCAS2gAwIBAgIUGD4K8hvDPQPQWIbOqYhioVQnKX4wCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNVmlnaWwgVGVzdCBDQTAgFw0yNjExMjQyMjE2MDFaGA8yMTI2
MTAzMTIyMTYwMVowGDEWMBQGA1UEAwwNVmlnaWwgVGVzdCBDQTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABEgER77p1idBNCOFt1r1bJD6D6lG8hHCx65PeqaPie2G
3gR/9Uj/hvP9OiaFWb5j8L3KtdMOI3oJ4zg/gDFckBajUzBRMB0GA1UdDgQWBBRZ
efQ1INpWPU0z/MN4s3OqV2HjXzAfBgNVHSMEGDAWgBRZefQ1INpWPU0z/MN4s3Oq
V2HjXzAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDJqwC0ZSjd
UyFb3REv08B+HXaNTjDXs5gPjHBacGVqdAIgLoDP/SPZpH4iIEX40ya7Hs46wOAt
GlQaUQMNGCN8phk=
-----END CERTIFICATE-----
`;
const LEAF_CERT = `-----BEGIN CERTIFICATE-----
MIIBiDCCAS+gAwIBAgIBAjAKBggqhkjOPQQDAjAYMRYwFAYDVQQDDA1WaWdpbCBU
ZXN0IENBMCAXDTI2MTEyNDIyMTYwMVoYDzIxMjYxMDMxMjIxNjAxWjAbMRkwFwYD
VQQDDBB2aWdpbC1wcm9iZS50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
2vD+OcLeb+FCkVcPW5cZiHMioyQ0UYKdfitr1GRuDKLYuAhypBGLRzdUUw+Lparm
6bee8qSLHKlGVoCUbTYJmqNlMGMwIQYDVR0RBBowGIIQdmlnaWwtcHJvYmUudGVz
dIcEfwAAATAdBgNVHQ4EFgQU0OVZAoe4Ksi9NYkyFgFmgGQgIZMwHwYDVR0jBBgw
FoAUWXn0NSDaVj1NM/zDeLNzqldh418wCgYIKoZIzj0EAwIDRwAwRAIgFEirxK0D
A3DQsVYMza7SBiu2aYhvWMjGWqWs0wjB1nICIAXE3tZQ7hYeSmMac+/ppzH31JLH
H0tOrOOZm/0KrW8Z
-----END CERTIFICATE-----
`;
const LEAF_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgfvOgMsfLn7XQzAv9
N0BK98DmOKa9DDrwcBO856wn6cOhRANCAATa8P45wt5v4UKRVw9blxmIcyKjJDRR
gp1+K2vUZG4Moti4CHKkEYtHN1RTD4ulqubpt57ypIscqUZWgJRtNgma
-----END PRIVATE KEY-----
`;
const EXPIRED_CERT = `-----BEGIN CERTIFICATE-----
MIIBhzCCAS2gAwIBAgIBAzAKBggqhkjOPQQDAjAYMRYwFAYDVQQDDA1WaWdpbCBU
ZXN0IENBMB4XDTIwMDEwMTAwMDAwMFoXDTIxMDEwMTAwMDAwMFowGzEZMBcGA1UE
AwwQdmlnaWwtcHJvYmUudGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNrw
/jnC3m/hQpFXD1uXGYhzIqMkNFGCnX4ra9Rkbgyi2LgIcqQRi0c3VFMPi6Wq5um3
nvKkixypRlaAlG02CZqjZTBjMCEGA1UdEQQaMBiCEHZpZ2lsLXByb2JlLnRlc3SH
BH8AAAEwHQYDVR0OBBYEFNDlWQKHuCrIvTWJMhYBZoBkICGTMB8GA1UdIwQYMBaA
FFl59DUg2lY9TTP8w3izc6pXYeNfMAoGCCqGSM49BAMCA0gAMEUCIQD0hsBC7E3S
lHzvA60DAqqf8cQ556yn68LiTyA7MvUQ8wIgBzQ6q6m9yPARAFrEr4yDD9qlOPDG
Jd5SjyZUcJt9BKE=
-----END CERTIFICATE-----
`;

const LOCAL: ProbeOptions = { allowPrivateTargets: true };
const MIB = 1024 * 1024;

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders };

function target(url: string, over: Partial<ProbeTarget> = {}): ProbeTarget {
  return { url, method: 'GET', timeoutMs: 5000, expectedStatusCodes: '200-399', keyword: null, ...over };
}

/** Writes `total` bytes of filler, then `tail`, honouring backpressure; never ends unless `end`. */
function stream(res: http.ServerResponse, total: number, tail: string, end: boolean): void {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.write(tail);
    if (end) res.end();
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
}

const seen: Seen[] = [];
let server: http.Server;
let base = '';

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
  const u = new URL(req.url ?? '/', 'http://x');
  const redirect = /^\/redirect\/(\d+)$/.exec(u.pathname);
  if (redirect) {
    const n = Number(redirect[1]);
    if (n === 0) return void res.end('landed');
    res.writeHead(302, { location: `/redirect/${n - 1}` }); // relative Location
    return void res.end();
  }
  switch (u.pathname) {
    case '/ok':
      return void res.end('hello world, Vigil is UP');
    case '/status':
      res.statusCode = Number(u.searchParams.get('code'));
      return void res.end('status');
    case '/slow':
      setTimeout(() => res.end('too late'), 4000).unref();
      return;
    case '/delay':
      setTimeout(() => res.end('done'), 250);
      return;
    case '/method':
      res.setHeader('x-method', req.method ?? '');
      return void res.end(`method=${req.method}`);
    case '/see-other':
      res.writeHead(303, { location: '/method' });
      return void res.end();
    case '/moved-post':
      res.writeHead(307, { location: '/method' });
      return void res.end();
    case '/big':
      res.writeHead(200, { 'content-type': 'text/plain' });
      return stream(res, 2 * MIB, 'NEEDLE', false); // keyword after 2 MiB, and the body never ends
    case '/endless':
      res.writeHead(200, { 'content-type': 'text/plain' });
      return stream(res, Number.MAX_SAFE_INTEGER, '', false);
    case '/gzip':
      res.writeHead(200, { 'content-encoding': 'gzip' });
      return void res.end(gzipSync('compressed body with NEEDLE inside'));
    case '/bad-redirect':
      res.writeHead(302, { location: u.searchParams.get('to') ?? '' });
      return void res.end();
    default:
      res.statusCode = 404;
      return void res.end('not found');
  }
}

async function listen(srv: net.Server, host = '127.0.0.1'): Promise<number> {
  srv.listen(0, host);
  await once(srv, 'listening');
  return (srv.address() as AddressInfo).port;
}

async function closeServer(srv: net.Server & { closeAllConnections?: () => void }): Promise<void> {
  srv.closeAllConnections?.();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
}

/** A raw TCP server that answers each connection with `onConnect`. */
async function rawServer(onConnect: (socket: net.Socket) => void): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.resume(); // consume what the client sends so 'end' (and auto-close) can happen
    onConnect(socket);
  });
  const port = await listen(srv);
  return {
    port,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await closeServer(srv);
    },
  };
}

beforeAll(async () => {
  server = http.createServer(handler);
  base = `http://127.0.0.1:${await listen(server)}`;
});
afterAll(async () => {
  await closeServer(server);
});

describe('probe: status, redirects, methods', () => {
  it('is up on 200 and records status and an integer response time', async () => {
    const r = await probe(target(`${base}/ok`), LOCAL);
    expect(r).toEqual({ ok: true, statusCode: 200, responseTimeMs: expect.any(Number), reason: null, certExpiresAt: null });
    expect(Number.isInteger(r.responseTimeMs)).toBe(true);
  });

  it('records the response time of a slow-ish response', async () => {
    const r = await probe(target(`${base}/delay`), LOCAL);
    expect(r.ok).toBe(true);
    expect(r.responseTimeMs).toBeGreaterThanOrEqual(240);
    expect(r.responseTimeMs).toBeLessThan(2000);
  });

  it('is down with "HTTP 500" on a 500', async () => {
    const r = await probe(target(`${base}/status?code=500`), LOCAL);
    expect(r).toMatchObject({ ok: false, statusCode: 500, reason: 'HTTP 500' });
  });

  it('treats a 404 as up when 404 is expected, and as down by default', async () => {
    expect(await probe(target(`${base}/nope`, { expectedStatusCodes: '404' }), LOCAL)).toMatchObject({
      ok: true,
      statusCode: 404,
      reason: null,
    });
    expect(await probe(target(`${base}/nope`), LOCAL)).toMatchObject({ ok: false, reason: 'HTTP 404' });
    expect(await probe(target(`${base}/status?code=302`, { expectedStatusCodes: '200,301-302' }), LOCAL)).toMatchObject({
      ok: true,
      statusCode: 302, // a 3xx without Location is a final response
    });
  });

  it('times out the whole probe after timeoutMs', async () => {
    const t0 = Date.now();
    const r = await probe(target(`${base}/slow`, { timeoutMs: 1000 }), LOCAL);
    expect(r).toMatchObject({ ok: false, statusCode: null, reason: 'timeout after 1000 ms' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.responseTimeMs).toBeGreaterThanOrEqual(990);
  });

  it('follows a chain of 5 redirects (relative Location) and refuses a 6th', async () => {
    const before = seen.length;
    const five = await probe(target(`${base}/redirect/5`, { keyword: 'landed' }), LOCAL);
    expect(five).toMatchObject({ ok: true, statusCode: 200, reason: null });
    expect(seen.length - before).toBe(6);

    const six = await probe(target(`${base}/redirect/6`), LOCAL);
    expect(six).toMatchObject({ ok: false, reason: 'too many redirects' });
  });

  it('refuses redirects to other schemes or unparsable locations', async () => {
    for (const to of ['ftp://example.com/', 'file:///etc/passwd', 'http://[bad']) {
      const r = await probe(target(`${base}/bad-redirect?to=${encodeURIComponent(to)}`), LOCAL);
      expect(r, to).toMatchObject({ ok: false, reason: 'invalid redirect' });
    }
  });

  it('sends HEAD and POST as asked', async () => {
    const head = await probe(target(`${base}/method`, { method: 'HEAD' }), LOCAL);
    expect(head).toMatchObject({ ok: true, statusCode: 200 });
    expect(seen.at(-1)?.method).toBe('HEAD');

    const post = await probe(target(`${base}/method`, { method: 'POST', keyword: 'method=POST' }), LOCAL);
    expect(post).toMatchObject({ ok: true, statusCode: 200 });
    expect(seen.at(-1)?.method).toBe('POST');
    expect(seen.at(-1)?.headers['content-length']).toBe('0');
  });

  it('turns POST into GET on 303 but keeps it on 307', async () => {
    expect(await probe(target(`${base}/see-other`, { method: 'POST', keyword: 'method=GET' }), LOCAL)).toMatchObject({ ok: true });
    expect(await probe(target(`${base}/moved-post`, { method: 'POST', keyword: 'method=POST' }), LOCAL)).toMatchObject({ ok: true });
  });

  it('sends the Vigil User-Agent and no cookies or credentials', async () => {
    await probe(target(`http://user:secret@127.0.0.1:${new URL(base).port}/ok`), LOCAL);
    const h = seen.at(-1)?.headers ?? {};
    expect(h['user-agent']).toBe('Vigil-Uptime/1.0 (+https://vigil.example)');
    expect(h.authorization).toBeUndefined();
    expect(h.cookie).toBeUndefined();
  });
});

describe('probe: keyword and body', () => {
  it('is up when the keyword is present and down when it is missing (case-sensitive when asked)', async () => {
    const sensitive = { keywordCaseSensitive: true };
    expect(await probe(target(`${base}/ok`, { keyword: 'Vigil is UP', ...sensitive }), LOCAL)).toMatchObject({ ok: true, reason: null });
    expect(await probe(target(`${base}/ok`, { keyword: 'vigil is up', ...sensitive }), LOCAL)).toMatchObject({
      ok: false,
      statusCode: 200,
      reason: 'keyword not found',
    });
  });

  it('finds a keyword in a gzip-encoded body', async () => {
    expect(await probe(target(`${base}/gzip`, { keyword: 'NEEDLE' }), LOCAL)).toMatchObject({ ok: true });
  });

  it('reads at most 1 MiB: a keyword after it is not found, and it returns promptly', async () => {
    const t0 = Date.now();
    const r = await probe(target(`${base}/big`, { keyword: 'NEEDLE' }), LOCAL);
    expect(r).toMatchObject({ ok: false, statusCode: 200, reason: 'keyword not found' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('without a keyword drops an endless body without reading it', async () => {
    const t0 = Date.now();
    const r = await probe(target(`${base}/endless`), LOCAL);
    expect(r).toMatchObject({ ok: true, statusCode: 200 });
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('probe: network failures never throw', () => {
  it('reports "connection refused" for a closed port', async () => {
    const srv = net.createServer();
    const port = await listen(srv);
    await closeServer(srv);
    expect(await probe(target(`http://127.0.0.1:${port}/`), LOCAL)).toMatchObject({
      ok: false,
      statusCode: null,
      reason: 'connection refused',
    });
  });

  it('reports a garbage (non-HTTP) response briefly', async () => {
    const { port, close } = await rawServer((s) => s.end('SSH-2.0-OpenSSH_9.6 not http at all\r\n\r\n'));
    try {
      const r = await probe(target(`http://127.0.0.1:${port}/`), LOCAL);
      expect(r).toMatchObject({ ok: false, statusCode: null, reason: 'invalid HTTP response' });
    } finally {
      await close();
    }
  });

  it('reports "connection reset" when the server drops the connection', async () => {
    const { port, close } = await rawServer((s) => s.once('data', () => s.destroy()));
    try {
      expect(await probe(target(`http://127.0.0.1:${port}/`), LOCAL)).toMatchObject({ ok: false, reason: 'connection reset' });
    } finally {
      await close();
    }
  });

  it('reports "DNS lookup failed" when the name does not resolve', async () => {
    const resolve = async (): Promise<string[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await probe(target('http://does-not-exist.test/'), { ...LOCAL, resolve })).toMatchObject({
      ok: false,
      reason: 'DNS lookup failed',
    });
  });

  it('connects to exactly the address the resolver returned, keeping the hostname in Host', async () => {
    const port = new URL(base).port;
    const resolve = async (host: string): Promise<string[]> => (host === 'pinned.test' ? ['127.0.0.1'] : []);
    const r = await probe(target(`http://pinned.test:${port}/ok`), { ...LOCAL, resolve });
    expect(r).toMatchObject({ ok: true, statusCode: 200 });
    expect(seen.at(-1)?.headers.host).toBe(`pinned.test:${port}`);
  });

  it('rejects bad URLs and schemes without throwing', async () => {
    expect(await probe(target('not a url'), LOCAL)).toMatchObject({ ok: false, reason: 'invalid url' });
    expect(await probe(target('ftp://example.com/'), LOCAL)).toMatchObject({ ok: false, reason: 'unsupported protocol' });
  });

  it('maps error codes to short reasons', () => {
    const e = (code: string) => probeFailureReason(Object.assign(new Error('x\n    at stack'), { code }));
    expect(e('CERT_HAS_EXPIRED')).toBe('TLS certificate expired');
    expect(e('DEPTH_ZERO_SELF_SIGNED_CERT')).toBe('TLS error: DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(e('ERR_TLS_CERT_ALTNAME_INVALID')).toBe('TLS error: ERR_TLS_CERT_ALTNAME_INVALID');
    expect(e('EAI_AGAIN')).toBe('DNS lookup failed');
    expect(e('ECONNRESET')).toBe('connection reset');
    expect(probeFailureReason(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]))).toBe(
      'connection refused',
    );
    expect(probeFailureReason(new Error('weird\n    at foo (bar.js:1:1)'))).toBe('probe failed: weird');
  });
});

describe('probe: https', () => {
  let good: https.Server;
  let expired: https.Server;
  let goodPort = 0;
  let expiredPort = 0;
  const sni: (string | false | null)[] = [];

  beforeAll(async () => {
    const app = (req: http.IncomingMessage, res: http.ServerResponse) => {
      sni.push((req.socket as TLSSocket).servername);
      if (req.url === '/to-http') return void res.writeHead(302, { location: `${base}/ok` }).end();
      res.end('secure hello');
    };
    good = https.createServer({ key: LEAF_KEY, cert: LEAF_CERT }, app);
    expired = https.createServer({ key: LEAF_KEY, cert: EXPIRED_CERT }, app);
    goodPort = await listen(good);
    expiredPort = await listen(expired);
  });
  afterAll(async () => {
    await closeServer(good);
    await closeServer(expired);
  });

  const resolve = async (host: string): Promise<string[]> => (host === 'vigil-probe.test' ? ['127.0.0.1'] : []);

  it('verifies against the hostname (SNI) while connecting to the resolved IP, and reads validTo', async () => {
    const r = await probe(target(`https://vigil-probe.test:${goodPort}/`, { keyword: 'secure' }), { ...LOCAL, resolve, ca: TEST_CA });
    expect(r).toMatchObject({ ok: true, statusCode: 200, reason: null });
    expect(r.certExpiresAt?.toISOString().slice(0, 4)).toBe('2126');
    expect(sni.at(-1)).toBe('vigil-probe.test');
  });

  it('keeps verification on: an untrusted certificate is a TLS error', async () => {
    const r = await probe(target(`https://vigil-probe.test:${goodPort}/`), { ...LOCAL, resolve });
    expect(r).toMatchObject({ ok: false, statusCode: null, reason: 'TLS error: UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('reports a hostname mismatch as a TLS error', async () => {
    const other = async (): Promise<string[]> => ['127.0.0.1'];
    const r = await probe(target(`https://other-name.test:${goodPort}/`), { ...LOCAL, resolve: other, ca: TEST_CA });
    expect(r).toMatchObject({ ok: false, reason: 'TLS error: ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('refuses a redirect from https to http while the request carries credentials (Authorization or Cookie); without, follows it', async () => {
    const url = `https://vigil-probe.test:${goodPort}/to-http`;
    const opts = { ...LOCAL, resolve, ca: TEST_CA };
    const before = seen.length;
    for (const over of [{ authorization: 'Bearer tok_abc' }, { headers: { Cookie: 'session=abc' } }]) {
      expect(await probe(target(url, over), opts)).toMatchObject({ ok: false, statusCode: 302, reason: HTTPS_TO_HTTP_REFUSED });
    }
    expect(seen.length).toBe(before); // nothing reached the http host
    expect(await probe(target(url, { headers: { 'X-Trace': 'abc' } }), opts)).toMatchObject({ ok: true, statusCode: 200 });
    expect(seen.at(-1)).toMatchObject({ url: '/ok' });
    expect(seen.at(-1)!.headers['x-trace']).toBeUndefined(); // another origin: the monitor's headers stay behind
  });

  it('reports "TLS certificate expired"', async () => {
    const r = await probe(target(`https://vigil-probe.test:${expiredPort}/`), { ...LOCAL, resolve, ca: TEST_CA });
    expect(r).toMatchObject({ ok: false, reason: 'TLS certificate expired' });
  });
});
