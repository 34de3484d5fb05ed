import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressFromHeader, clientIp, normalizeIp, trustProxyHeader, UNKNOWN_IP } from '../../src/http/client-ip.js';
import { ConfigError, loadConfig, TRUSTED_PROXY_HEADERS } from '../../src/config.js';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { sendFrom } from '../support/from-address.js';
import { startTestApp } from '../support/harness.js';

const echo = new Hono().all('*', (c) => c.text(clientIp(c)));
let server: ServerType;
let base: string;
beforeAll(async () => {
  server = await new Promise((resolve) => {
    const s = serve({ fetch: echo.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('clientIp', () => {
  it('locally: the socket peer, whatever X-Forwarded-For or X-Real-IP claim', async () => {
    for (const from of ['127.0.0.2', '127.0.0.3']) {
      const res = await sendFrom(from, `${base}/`, { headers: { 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '198.51.100.7', forwarded: 'for=192.0.2.1' } });
      expect(res.body).toBe(from);
    }
  });

  it("on Lambda: API Gateway's requestContext.http.sourceIp, never a header", async () => {
    const handler = handle(echo);
    const event = {
      version: '2.0',
      rawPath: '/',
      rawQueryString: '',
      headers: { host: 'api.vigil.example', 'x-forwarded-for': '203.0.113.9' },
      requestContext: { http: { method: 'GET', path: '/', sourceIp: '198.51.100.23' }, domainName: 'api.vigil.example' },
      isBase64Encoded: false,
    };
    const res = (await handler(event as never)) as { body: string };
    expect(res.body).toBe('198.51.100.23');
  });

  it('an IPv4 peer on a dual-stack socket is the plain IPv4 address; no transport is "unknown"', async () => {
    expect(normalizeIp('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(normalizeIp('2001:DB8::1')).toBe('2001:db8::1');
    expect(await (await echo.fetch(new Request('http://x/'))).text()).toBe(UNKNOWN_IP);
  });
});

describe('clientIp behind a reverse proxy (TRUST_PROXY)', () => {
  const behind = (header: (typeof TRUSTED_PROXY_HEADERS)[number] | undefined) =>
    new Hono().use('*', trustProxyHeader(header)).all('*', (c) => c.text(clientIp(c)));

  it('is off by default: unset, no header is trusted (and an unknown header name is refused at start)', async () => {
    expect(loadConfig({ NODE_ENV: 'test', AUTH_SECRET: 'x'.repeat(32) }).trustProxy).toBeUndefined();
    expect(() => loadConfig({ NODE_ENV: 'test', AUTH_SECRET: 'x'.repeat(32), TRUST_PROXY: 'x-client-ip' })).toThrow(/TRUST_PROXY: must be one of x-forwarded-for/);
    expect(() => loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'f', TRUST_PROXY: 'x-real-ip' }, 'worker')).toThrow(ConfigError);
    const res = await (await behind(undefined).fetch(new Request('http://x/', { headers: { 'x-forwarded-for': '203.0.113.9' } }))).text();
    expect(res).toBe(UNKNOWN_IP);
  });

  it("set to X-Forwarded-For: the last entry, the one the proxy appended, never the client's own claims before it", async () => {
    const app = behind('x-forwarded-for');
    const ip = async (xff: string) => (await app.fetch(new Request('http://x/', { headers: { 'x-forwarded-for': xff } }))).text();
    expect(await ip('203.0.113.9')).toBe('203.0.113.9');
    expect(await ip('6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(await ip('::FFFF:198.51.100.4')).toBe('198.51.100.4');
  });

  it('only the header named: a real peer behind it, another header ignored, garbage falls back to the socket peer', async () => {
    const app = behind('cf-connecting-ip');
    const server: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      expect((await sendFrom('127.0.0.2', url, { headers: { 'cf-connecting-ip': '198.51.100.7', 'x-forwarded-for': '6.6.6.6' } })).body).toBe('198.51.100.7');
      expect((await sendFrom('127.0.0.2', url, { headers: { 'x-forwarded-for': '6.6.6.6' } })).body).toBe('127.0.0.2');
      expect((await sendFrom('127.0.0.2', url, { headers: { 'cf-connecting-ip': 'not-an-ip' } })).body).toBe('127.0.0.2');
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(addressFromHeader('x-real-ip', ' 2001:db8::7 ')).toBe('2001:db8::7');
    expect(addressFromHeader('x-real-ip', '1.2.3.4, 5.6.7.8')).toBeUndefined();
  });
});

describe('TRUST_PROXY through the whole app', () => {
  it('the audit log records the address the proxy names when set, and the socket peer when not', async () => {
    for (const [trust, expected] of [['x-real-ip', '198.51.100.77'], [undefined, '127.0.0.1']] as const) {
      const t = await startTestApp(trust ? { env: { TRUST_PROXY: trust } } : {});
      try {
        const c = await t.signUp();
        // The harness's client calls the global fetch: every call of this one carries the header.
        const realFetch = globalThis.fetch;
        globalThis.fetch = (input, init) => {
          const headers = new Headers(init?.headers);
          headers.set('x-real-ip', '198.51.100.77');
          return realFetch(input, { ...init, headers });
        };
        try {
          await c.monitors.create.mutate({ name: 'site', url: 'http://127.0.0.1:9/', paused: true });
        } finally {
          globalThis.fetch = realFetch;
        }
        const rows = await t.svc.db.$client.execute({ sql: "SELECT ip FROM audit_log WHERE account_id = ? AND action = 'monitors.create'", args: [c.user.accountId] });
        expect(rows.rows.map((r) => r.ip)).toEqual([expected]);
      } finally {
        await t.close();
      }
    }
  });
});
