import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, type ProbeTarget } from '../../src/probes/http.js';
import { checkHostAllowed, targetUrlProblem, isForbiddenAddress, type HostResolver } from '../../src/net/ssrf.js';

/** A resolver that fails the test if DNS is consulted at all. */
const noDns: HostResolver = async (host) => {
  throw new Error(`DNS must not be consulted for ${host}`);
};
const fixed =
  (table: Record<string, string[]>): HostResolver =>
  async (host) => {
    const hit = table[host];
    if (!hit) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return hit;
  };

describe('isForbiddenAddress', () => {
  const forbidden = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback /8'],
    ['::1', 'IPv6 loopback'],
    ['10.0.0.1', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.255', 'private 172.16/12 top'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'IPv6 link-local'],
    ['fe80::1%eth0', 'IPv6 link-local with zone'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.255', 'CGNAT top'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', '0/8'],
    ['::', 'IPv6 unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast SSDP'],
    ['ff02::1', 'IPv6 multicast'],
    ['255.255.255.255', 'broadcast'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local fd'],
    ['192.0.2.1', 'TEST-NET-1'],
    ['198.18.0.1', 'benchmarking'],
    ['240.0.0.1', 'reserved 240/4'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['::ffff:127.0.0.1', 'v4-mapped loopback'],
    ['::ffff:7f00:1', 'v4-mapped loopback, hex'],
    ['0:0:0:0:0:ffff:a00:1', 'v4-mapped 10.0.0.1, long form'],
    ['[::ffff:169.254.169.254]', 'bracketed v4-mapped metadata'],
    ['::ffff:0:7f00:1', 'SIIT 127.0.0.1'],
    ['::7f00:1', 'v4-compatible 127.0.0.1'],
    ['::127.0.0.1', 'v4-compatible dotted'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['64:ff9b::169.254.169.254', 'NAT64 of metadata'],
    ['64:ff9b:1::1', 'local-use NAT64 prefix'],
    ['2002:7f00:1::1', '6to4 of 127.0.0.1'],
    ['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
    ['2001:0:4136:e378::1', 'Teredo'],
    ['100::1', 'discard prefix'],
    ['0x7f000001', 'hex integer'],
    ['2130706433', 'decimal integer'],
    ['127.1', 'short dotted'],
    ['017700000001', 'octal integer'],
    ['0177.0.0.1', 'octal dotted'],
    ['010.0.0.1', 'leading zero'],
    ['example.com', 'not an IP'],
    ['', 'empty'],
  ] as const;
  it.each(forbidden)('refuses %s (%s)', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  const allowed = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];
  it.each(allowed)('allows public %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });
});

describe('WHATWG URL normalises odd IPv4 spellings to dotted quads', () => {
  it.each([
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://0/', '0.0.0.0'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', '[::ffff:7f00:1]'],
  ])('%s → %s', (url, host) => {
    expect(new URL(url).hostname).toBe(host);
  });
});

describe('checkHostAllowed', () => {
  it('refuses localhost names without DNS', async () => {
    for (const host of ['localhost', 'LOCALHOST', 'localhost.', 'api.localhost', 'a.b.localhost.']) {
      const r = await checkHostAllowed(host, false, { resolve: noDns });
      expect(r, host).toMatchObject({ ok: false, reason: expect.stringMatching(/^blocked: /) });
    }
  });

  it('refuses IP literals (bracketed too) and odd numeric hosts without DNS', async () => {
    expect(await checkHostAllowed('10.0.0.1', false, { resolve: noDns })).toEqual({
      ok: false,
      reason: 'blocked: private address 10.0.0.1',
    });
    expect(await checkHostAllowed('[::1]', false, { resolve: noDns })).toEqual({ ok: false, reason: 'blocked: private address ::1' });
    for (const host of ['2130706433', '0x7f000001', '127.1', '0x7f.1', '017700000001']) {
      expect(await checkHostAllowed(host, false, { resolve: noDns }), host).toMatchObject({ ok: false });
    }
    expect(await checkHostAllowed('8.8.8.8', false, { resolve: noDns })).toEqual({ ok: true, addresses: ['8.8.8.8'] });
  });

  it('refuses a name when ANY resolved address is forbidden (DNS rebinding mix)', async () => {
    const resolve = fixed({ 'mixed.test': ['93.184.216.34', '127.0.0.1'], 'inside.test': ['10.0.0.1'], 'ok.test': ['93.184.216.34', '2606:4700::1111'] });
    expect(await checkHostAllowed('mixed.test', false, { resolve })).toEqual({ ok: false, reason: 'blocked: private address 127.0.0.1' });
    expect(await checkHostAllowed('inside.test', false, { resolve })).toEqual({ ok: false, reason: 'blocked: private address 10.0.0.1' });
    expect(await checkHostAllowed('OK.test.', false, { resolve })).toEqual({ ok: true, addresses: ['93.184.216.34', '2606:4700::1111'] });
    expect(await checkHostAllowed('nowhere.test', false, { resolve })).toEqual({ ok: false, reason: 'DNS lookup failed' });
    expect(await checkHostAllowed('empty.test', false, { resolve: async () => [] })).toEqual({ ok: false, reason: 'DNS lookup failed' });
  });

  it('allows everything resolvable when allowPrivate is set', async () => {
    expect(await checkHostAllowed('inside.test', true, { resolve: fixed({ 'inside.test': ['10.0.0.1'] }) })).toEqual({
      ok: true,
      addresses: ['10.0.0.1'],
    });
    expect(await checkHostAllowed('127.0.0.1', true, { resolve: noDns })).toEqual({ ok: true, addresses: ['127.0.0.1'] });
  });

  it('resolves localhost for real when allowPrivate is set', async () => {
    const r = await checkHostAllowed('localhost', true);
    expect(r.ok).toBe(true);
  });
});

describe('targetUrlProblem', () => {
  const resolve = fixed({ 'public.test': ['93.184.216.34'], 'inside.test': ['192.168.1.10'] });
  // The API names the field (fieldErrors path "url"), so the message does not repeat it.
  const problemOf = (url: string, allowPrivate: boolean, deps: { resolve: HostResolver }) =>
    targetUrlProblem(new URL(url), allowPrivate, deps);

  it('explains private and loopback targets in words', async () => {
    expect(await problemOf('http://127.0.0.1:8080/health', false, { resolve })).toBe(
      'points to a private or loopback address (127.0.0.1); only public addresses can be monitored',
    );
    expect(await problemOf('http://2130706433/', false, { resolve })).toContain('(127.0.0.1)');
    expect(await problemOf('https://inside.test/', false, { resolve })).toContain('(192.168.1.10)');
    expect(await problemOf('http://localhost:3000/', false, { resolve })).toContain('(localhost)');
    expect(await problemOf('http://[::ffff:7f00:1]/', false, { resolve })).toContain('(::ffff:7f00:1)');
  });

  it('accepts public and not-yet-resolvable names, and anything when allowPrivate', async () => {
    expect(await problemOf('https://public.test/', false, { resolve })).toBeNull();
    expect(await problemOf('https://not-set-up-yet.test/', false, { resolve })).toBeNull();
    expect(await problemOf('http://127.0.0.1/', true, { resolve })).toBeNull();
  });

  it('rejects non-http schemes and garbage', async () => {
    expect(await problemOf('ftp://public.test/', false, { resolve })).toBe('must start with http:// or https://');
    // Garbage never reaches the guard: it takes a parsed URL, and parsing garbage throws.
    expect(() => problemOf('not a url', false, { resolve })).toThrow(TypeError);
  });
});

describe('probe with allowPrivateTargets false', () => {
  type Counted = { server: http.Server; port: number; hits: () => number };
  async function counted(host: string, handler?: http.RequestListener): Promise<Counted> {
    let n = 0;
    const server = http.createServer((req, res) => {
      n++;
      if (handler) handler(req, res);
      else res.end('private data');
    });
    server.listen(0, host);
    await once(server, 'listening');
    return { server, port: (server.address() as AddressInfo).port, hits: () => n };
  }
  const close = (s: http.Server) =>
    new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    });

  let loop4: Counted; // "private" server on 127.0.0.1
  let loop6: Counted; // "private" server on ::1
  let second: Counted; // "private" server on 127.0.0.2, redirect target
  let redirector: Counted; // on 127.0.0.1, allowed only through a test guard
  let redirectTo = '';

  beforeAll(async () => {
    loop4 = await counted('127.0.0.1');
    loop6 = await counted('::1');
    second = await counted('127.0.0.2');
    redirector = await counted('127.0.0.1', (_req, res) => {
      res.writeHead(302, { location: redirectTo });
      res.end();
    });
  });
  afterAll(async () => {
    await Promise.all([loop4, loop6, second, redirector].map((c) => close(c.server)));
  });

  const target = (url: string): ProbeTarget => ({ url, method: 'GET', timeoutMs: 3000, expectedStatusCodes: '200-399', keyword: null });
  const PUBLIC = { allowPrivateTargets: false, resolve: noDns } as const;

  it('refuses every private/odd literal before connecting', async () => {
    const urls = [
      `http://127.0.0.1:${loop4.port}/`,
      `http://[::1]:${loop6.port}/`,
      'http://10.0.0.1/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://224.0.0.1/',
      'http://[fc00::1]/',
      'http://[fe80::1]/',
      `http://[::ffff:127.0.0.1]:${loop4.port}/`,
      `http://[::ffff:7f00:1]:${loop4.port}/`,
      `http://2130706433:${loop4.port}/`,
      `http://0x7f.1:${loop4.port}/`,
      `http://017700000001:${loop4.port}/`,
      `https://127.1:${loop4.port}/`,
    ];
    for (const url of urls) {
      const r = await probe(target(url), PUBLIC);
      expect(r, url).toMatchObject({ ok: false, statusCode: null, reason: expect.stringMatching(/^blocked: private address /) });
    }
    expect(loop4.hits()).toBe(0);
    expect(loop6.hits()).toBe(0);
  });

  it('refuses localhost and names resolving to loopback or to a rebinding mix', async () => {
    const resolve = fixed({ 'evil.test': ['127.0.0.1'], 'rebind.test': ['93.184.216.34', '127.0.0.1'], 'v6.test': ['::1'] });
    for (const url of [
      `http://localhost:${loop4.port}/`,
      `http://evil.test:${loop4.port}/`,
      `http://rebind.test:${loop4.port}/`,
      `http://v6.test:${loop6.port}/`,
    ]) {
      const r = await probe(target(url), { allowPrivateTargets: false, resolve });
      expect(r, url).toMatchObject({ ok: false, reason: expect.stringMatching(/^blocked: /) });
    }
    expect(loop4.hits()).toBe(0);
    expect(loop6.hits()).toBe(0);
  });

  it('refuses a redirect from an allowed host to a private one, on every hop', async () => {
    // Only for this test, 127.0.0.1 counts as public; everything else uses the real guard.
    const isForbidden = (ip: string) => ip !== '127.0.0.1' && isForbiddenAddress(ip);
    const resolve = fixed({ 'internal.test': ['127.0.0.2'] });
    const cases: [string, string][] = [
      [`http://127.0.0.2:${second.port}/`, 'blocked: private address 127.0.0.2'],
      [`http://internal.test:${second.port}/`, 'blocked: private address 127.0.0.2'],
      [`http://[::1]:${loop6.port}/`, 'blocked: private address ::1'],
      ['http://169.254.169.254/latest/meta-data/', 'blocked: private address 169.254.169.254'],
      [`http://localhost:${loop4.port}/`, 'blocked: private address localhost'],
    ];
    let expectedHits = 0;
    for (const [to, reason] of cases) {
      redirectTo = to;
      const r = await probe(target(`http://127.0.0.1:${redirector.port}/start`), { allowPrivateTargets: false, resolve, isForbidden });
      expectedHits++;
      expect(r, to).toMatchObject({ ok: false, reason });
      expect(redirector.hits()).toBe(expectedHits);
    }
    expect(second.hits()).toBe(0);
    expect(loop6.hits()).toBe(0);
    expect(loop4.hits()).toBe(0);
  });
});
