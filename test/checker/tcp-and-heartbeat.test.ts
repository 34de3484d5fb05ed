import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTcp } from '../../src/probes/tcp.js';
import { runCheck } from '../../src/checker/run.js';
import { PING_RATE_LIMIT } from '../../src/heartbeat/route.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { tcpPorts } from '../support/tcp-ports.js';
import { rememberSecret } from '../support/ledger.js';
import { rejection } from '../support/http-status.js';

let t: TestApp;
let now = Date.UTC(2026, 6, 1, 8, 0);
let ports: Awaited<ReturnType<typeof tcpPorts>>;
let openPort: number;
let closedPort: number;
beforeAll(async () => {
  t = await startTestApp({ now: () => now });
  ports = await tcpPorts();
  ({ openPort, closedPort } = ports);
});
afterAll(async () => {
  await t.close();
  await ports.close();
});

const fast = { confirmDelayMs: 0 };


describe('tcp monitors', () => {
  it('are up when a real listener accepts, down when the port is closed', async () => {
    const c = await t.signUp();
    const open = await c.monitors.create.mutate({ kind: 'tcp', name: 'db', host: '127.0.0.1', port: openPort });
    expect(open).toMatchObject({ kind: 'tcp', host: '127.0.0.1', port: openPort, url: `tcp://127.0.0.1:${openPort}` });
    expect(await runCheck(t.svc, open.id, fast)).toMatchObject({ verdict: { status: 'up' } });
    const closed = await c.monitors.create.mutate({ kind: 'tcp', name: 'gone', host: '127.0.0.1', port: closedPort });
    expect(await runCheck(t.svc, closed.id, fast)).toMatchObject({ verdict: { status: 'down' }, result: { reason: 'connection refused' }, confirmed: true });
    // Editing the port re-targets it.
    await c.monitors.update.mutate({ id: closed.id, port: openPort });
    expect(await runCheck(t.svc, closed.id, fast)).toMatchObject({ verdict: { status: 'up' } });
  });

  it('go through the same SSRF guard as HTTP, at create and at every probe', async () => {
    const guarded = await startTestApp({ env: { ALLOW_PRIVATE_TARGETS: 'false' } });
    try {
      const c = await guarded.signUp();
      for (const host of ['127.0.0.1', 'localhost', '169.254.169.254', '10.0.0.1', '::1']) {
        expect(await rejection(c.monitors.create.mutate({ kind: 'tcp', name: 'x', host, port: 22 }))).toMatchObject({ status: 400, message: expect.stringMatching(/^host/) });
      }
    } finally {
      await guarded.close();
    }
    // A name that resolves to loopback is refused by the probe, before any connection.
    const result = await probeTcp({ host: 'rebind.example', port: openPort, timeoutMs: 2000 }, { allowPrivateTargets: false, resolve: async () => ['127.0.0.1'] });
    expect(result).toMatchObject({ ok: false, reason: 'blocked: private address 127.0.0.1' });
  });

  it('refuse http-only settings, naming the field', async () => {
    const c = await t.signUp();
    // @ts-expect-error: the types refuse it too (a tcp monitor needs a port).
    expect(await rejection(c.monitors.create.mutate({ kind: 'tcp', name: 'x', host: '127.0.0.1' }))).toMatchObject({ status: 400, message: expect.stringMatching(/port/) });
    // @ts-expect-error: the types refuse it too (a tcp monitor has no keyword).
    expect(await rejection(c.monitors.create.mutate({ kind: 'tcp', name: 'x', host: '127.0.0.1', port: 1, keyword: 'k' }))).toMatchObject({ status: 400, message: expect.stringMatching(/keyword/) });
  });
});

describe('heartbeat monitors', () => {
  const ping = (url: string, method = 'GET') => fetch(url.replace('http://vigil.test', t.baseUrl), { method });

  async function heartbeat(extra: object = {}) {
    const c = await t.signUp();
    const m = await c.monitors.create.mutate({ kind: 'heartbeat', name: 'nightly backup', intervalSeconds: 3600, graceSeconds: 600, ...extra });
    rememberSecret(m.pingUrl!.split('/').pop());
    return { c, m };
  }

  it('show a ping URL once, with a ≥128-bit token stored only as its hash', async () => {
    const { c, m } = await heartbeat();
    expect(m).toMatchObject({ kind: 'heartbeat', url: null, graceSeconds: 600, status: 'pending' });
    const token = m.pingUrl!.split('/').pop()!;
    expect(m.pingUrl).toBe(`http://vigil.test/ping/${token}`);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(JSON.stringify(await c.monitors.get.query({ id: m.id }))).not.toContain(token);
    expect(JSON.stringify(await c.monitors.list.query())).not.toContain(token);
    const row = await t.svc.db.$client.execute({ sql: 'select ping_token_hash from monitors where id = ?', args: [m.id] });
    expect(String(row.rows[0]!.ping_token_hash)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('on time: a ping within interval + grace keeps it up; GET, HEAD and POST all count', async () => {
    const { c, m } = await heartbeat();
    expect(await runCheck(t.svc, m.id, fast)).toEqual({ kind: 'skipped', reason: 'waiting-for-ping' });
    for (const method of ['GET', 'HEAD', 'POST']) expect((await ping(m.pingUrl!, method)).status).toBe(200);
    now += 3600_000 + 500_000; // interval passed, still within grace
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'up' }, confirmed: false });
    expect((await c.monitors.get.query({ id: m.id })).lastPingAt).toEqual(expect.any(String));
  });

  it('late: no ping within interval + grace turns it down and opens an incident; a ping brings it back', async () => {
    const { c, m } = await heartbeat();
    await ping(m.pingUrl!);
    now += 3600_000 + 600_000 + 1000;
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'down', changed: true }, result: { reason: 'no ping within 4200 s' } });
    expect((await c.monitors.incidents.query({ id: m.id })).items).toMatchObject([{ open: true, reason: 'no ping within 4200 s' }]);
    await ping(m.pingUrl!); // up at once, in the ping's own request
    expect((await c.monitors.incidents.query({ id: m.id })).items).toMatchObject([{ open: false, closedBy: 'recovered' }]);
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'up', changed: false } });
  });

  it('never pinged: down once interval + grace have passed since it was created', async () => {
    const { m } = await heartbeat();
    now += 3600_000 + 600_000 - 1000;
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ kind: 'skipped' });
    now += 2000;
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'down' } });
  });

  it('explicit failure: /fail records a failed run', async () => {
    const { c, m } = await heartbeat();
    expect((await ping(`${m.pingUrl!}/fail`, 'POST')).status).toBe(200);
    expect(await c.monitors.get.query({ id: m.id })).toMatchObject({ status: 'down', lastReason: 'ping reported failure' });
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'down', changed: false }, result: { reason: 'ping reported failure' } });
  });

  it('keep the plan’s shortest interval, and a resume after a long pause waits for a fresh ping', async () => {
    const c = await t.signUp(); // Free: 5 minutes at the shortest
    expect(await rejection(c.monitors.create.mutate({ kind: 'heartbeat', name: 'x', intervalSeconds: 60 }))).toMatchObject({ status: 403 });
    const { c: owner, m } = await heartbeat();
    await ping(m.pingUrl!);
    await owner.monitors.update.mutate({ id: m.id, paused: true });
    now += 10 * 3600_000; // paused far longer than interval + grace
    const resumed = await owner.monitors.update.mutate({ id: m.id, paused: false });
    expect(resumed).toMatchObject({ status: 'pending', lastPingAt: null });
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ kind: 'skipped', reason: 'waiting-for-ping' });
    await ping(m.pingUrl!);
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'up' } });
  });

  it('answers 404 for unknown tokens, 429 with Retry-After past the per-token limit, and rotation retires the old URL', async () => {
    expect((await fetch(`${t.baseUrl}/ping/${'A'.repeat(24)}`)).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/ping/short`)).status).toBe(404);
    const { c, m } = await heartbeat();
    for (let i = 0; i < PING_RATE_LIMIT; i++) expect((await ping(m.pingUrl!)).status).toBe(200);
    const limited = await ping(m.pingUrl!);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    now += 61_000; // a new window
    expect((await ping(m.pingUrl!)).status).toBe(200);

    const { pingUrl } = await c.monitors.rotatePingToken.mutate({ id: m.id });
    rememberSecret(pingUrl.split('/').pop());
    expect(pingUrl).not.toBe(m.pingUrl);
    expect((await ping(m.pingUrl!)).status).toBe(404);
    expect((await ping(pingUrl)).status).toBe(200);
  });
});
