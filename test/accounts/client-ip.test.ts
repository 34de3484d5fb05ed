import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientIp, normalizeIp, UNKNOWN_IP } from '../../src/http/client-ip.js';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { sendFrom } from '../support/from-address.js';

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
