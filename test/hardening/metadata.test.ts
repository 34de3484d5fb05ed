import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHostAllowed, isAlwaysForbidden, targetUrlProblem } from '../../src/net/ssrf.js';
import { startTestApp, type TestApp } from '../support/harness.js';

// Finding 8: ALLOW_PRIVATE_TARGETS=true also opened link-local and cloud metadata addresses.
const METADATA = [
  '169.254.169.254',
  '169.254.0.1',
  '169.254.170.2',
  'fe80::1',
  'fd00:ec2::254',
  '::ffff:169.254.169.254',
  '::ffff:a9fe:a9fe',
  '64:ff9b::a9fe:a9fe',
  '2002:a9fe:a9fe::1',
  '[fd00:ec2::254]',
];
const OPENED = ['127.0.0.1', '10.0.0.5', '192.168.1.10', '172.16.0.1', '::1', 'fd12:3456::1'];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(); // ALLOW_PRIVATE_TARGETS=true, as every other test runs
});
afterAll(() => t.close());

describe('metadata and link-local stay refused with ALLOW_PRIVATE_TARGETS on', () => {
  it.each(METADATA)('%s is refused by the guard, the URL check and monitors.create', async (ip) => {
    expect(isAlwaysForbidden(ip)).toBe(true);
    expect(await checkHostAllowed(ip, true)).toMatchObject({ ok: false });
    const host = ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
    const url = `http://${host}/latest/meta-data/`;
    expect(await targetUrlProblem(new URL(url), true)).toMatch(/link-local or cloud metadata/);
    const u = await t.signUp();
    await expect(u.monitors.create.mutate({ name: 'imds', url })).rejects.toMatchObject({ data: { httpStatus: 400, fieldErrors: [{ path: 'url' }] } });
  });

  it('a hostname that resolves to a metadata address is refused too', async () => {
    const resolve = async () => ['10.0.0.7', '169.254.169.254'];
    expect(await checkHostAllowed('metadata.google.internal', true, { resolve })).toMatchObject({ ok: false });
  });

  it.each(OPENED)('%s (private or loopback) is what the flag opens', async (ip) => {
    expect(isAlwaysForbidden(ip)).toBe(false);
    expect(await checkHostAllowed(ip, true)).toMatchObject({ ok: true });
  });

  it('a loopback target is still monitored with the flag on', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const u = await t.signUp();
      const m = await u.monitors.create.mutate({ name: 'local', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
      expect(m.url).toMatch(/^http:\/\/127\.0\.0\.1/);
    } finally {
      server.close();
    }
  });
});
