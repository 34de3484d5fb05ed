import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checker/run.js';
import { fieldErrorsOf } from '../../src/domain/errors.js';
import { createMonitorInput, updateInputOf } from '../../src/monitors/schemas.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rejection } from '../support/http-status.js';
import { rememberSecret } from '../support/ledger.js';
import { startTarget } from '../support/target.js';
import { tcpPorts } from '../support/tcp-ports.js';

/**
 * Each monitor kind is its own input, checked the same way through one table of kinds: a field
 * of another kind is refused by name at the door (and by the types), and every kind goes through
 * create → check → update → check with its own target.
 */
let t: TestApp;
let now = Date.UTC(2026, 6, 1, 8, 0);
let ports: Awaited<ReturnType<typeof tcpPorts>>;
let openPort: number;
let closedPort: number;
let up: Awaited<ReturnType<typeof startTarget>>;
let failing: Awaited<ReturnType<typeof startTarget>>;

beforeAll(async () => {
  t = await startTestApp({ now: () => now });
  ports = await tcpPorts();
  ({ openPort, closedPort } = ports);
  up = await startTarget();
  failing = await startTarget();
  failing.always = 503;
});
afterAll(async () => {
  await t.close();
  await ports.close();
  await up.close();
  await failing.close();
});

const fast = { confirmDelayMs: 0 };

describe('a field of another kind is refused, naming it', () => {
  it.each([
    ['a tcp monitor with a url', { kind: 'tcp', name: 'db', host: '127.0.0.1', port: 5432, url: 'https://example.com/' }, 'url', 'tcp monitors have no url'],
    ['an http monitor with a port', { kind: 'http', name: 'site', url: 'https://example.com/', port: 443 }, 'port', 'http monitors have no port'],
    ['an http monitor (kind omitted) with a host', { name: 'site', url: 'https://example.com/', host: 'example.com' }, 'host', 'http monitors have no host'],
    ['a heartbeat with a timeout', { kind: 'heartbeat', name: 'job', timeoutMs: 5000 }, 'timeoutMs', 'heartbeat monitors have no timeoutMs'],
  ])('on create over tRPC: %s', async (_what, input, path, message) => {
    const c = await t.signUp();
    const refused = await rejection(c.monitors.create.mutate(input as never));
    expect(refused).toMatchObject({ status: 400, code: 'BAD_REQUEST', fieldErrors: [{ path, message }] });
    expect((await c.monitors.list.query()).items).toEqual([]);
  });

  it('by the schema the app’s forms validate with, with the same words', () => {
    const parsed = createMonitorInput.safeParse({ kind: 'tcp', name: 'db', host: 'db.example.com', port: 5432, url: 'https://example.com/' });
    expect(parsed.success).toBe(false);
    expect(fieldErrorsOf(parsed.error!)).toEqual([{ path: 'url', message: 'tcp monitors have no url' }]);
    const edit = updateInputOf('http').safeParse({ id: 'mon_abc', port: 443 });
    expect(fieldErrorsOf(edit.error!)).toEqual([{ path: 'port', message: 'http monitors have no port' }]);
    // A typo is still a typo, not another kind's field.
    const typo = createMonitorInput.safeParse({ kind: 'tcp', name: 'db', host: 'db.example.com', port: 5432, prot: 1 });
    expect(fieldErrorsOf(typo.error!)).toEqual([{ path: 'prot', message: 'unknown field; did you mean port?' }]);
    expect(fieldErrorsOf(createMonitorInput.safeParse({ kind: 'dns', name: 'x' }).error!)).toEqual([{ path: 'kind', message: 'must be one of http, tcp, heartbeat' }]);
  });

  it('on update over tRPC, judged by the monitor’s own kind; the kind itself never changes', async () => {
    const c = await t.signUp();
    const tcp = await c.monitors.create.mutate({ kind: 'tcp', name: 'db', host: '127.0.0.1', port: openPort, paused: true });
    const http = await c.monitors.create.mutate({ name: 'site', url: up.url, paused: true });
    expect(await rejection(c.monitors.update.mutate({ id: tcp.id, url: 'https://example.com/' }))).toMatchObject({
      status: 400,
      fieldErrors: [{ path: 'url', message: 'tcp monitors have no url' }],
    });
    expect(await rejection(c.monitors.update.mutate({ id: http.id, port: 443 }))).toMatchObject({
      status: 400,
      fieldErrors: [{ path: 'port', message: 'http monitors have no port' }],
    });
    expect(await rejection(c.monitors.update.mutate({ id: http.id, kind: 'tcp', host: '127.0.0.1' }))).toMatchObject({
      status: 400,
      fieldErrors: [{ path: 'kind', message: "a monitor's kind cannot change; this one is http" }],
    });
    // The edit form may send the kind back unchanged.
    expect(await c.monitors.update.mutate({ id: tcp.id, kind: 'tcp', port: closedPort })).toMatchObject({ port: closedPort });
    expect(await c.monitors.get.query({ id: http.id })).toMatchObject({ kind: 'http', url: up.url, port: null });
  });
});

type Client = Awaited<ReturnType<TestApp['signUp']>>;
type Kind = {
  kind: string;
  create: () => Parameters<Client['monitors']['create']['mutate']>[0];
  /** Makes the target answer (a heartbeat's job pings). */
  beat?: (pingUrl: string) => Promise<unknown>;
  shown: (m: Record<string, unknown>) => void;
  /** An edit that points the monitor at a target that fails, and the reason the next check gives. */
  breakIt: () => Record<string, unknown>;
  reason: string | RegExp;
};

const KINDS: Kind[] = [
  {
    kind: 'http',
    create: () => ({ name: 'site', url: up.url, keyword: 'hello' }),
    shown: (m) => expect(m).toMatchObject({ url: up.url, host: null, port: null, keyword: 'hello', graceSeconds: null }),
    breakIt: () => ({ url: failing.url }),
    reason: 'HTTP 503',
  },
  {
    kind: 'tcp',
    create: () => ({ kind: 'tcp', name: 'db', host: '127.0.0.1', port: openPort }),
    shown: (m) => expect(m).toMatchObject({ url: `tcp://127.0.0.1:${openPort}`, host: '127.0.0.1', port: openPort, headers: {}, auth: null }),
    breakIt: () => ({ port: closedPort }),
    reason: 'connection refused',
  },
  {
    kind: 'heartbeat',
    create: () => ({ kind: 'heartbeat', name: 'job', intervalSeconds: 3600, graceSeconds: 600 }),
    beat: (pingUrl) => fetch(pingUrl.replace('http://vigil.test', t.baseUrl)),
    shown: (m) => expect(m).toMatchObject({ url: null, host: null, graceSeconds: 600, pingUrl: expect.stringMatching(/^http:\/\/vigil\.test\/ping\//) }),
    // No ping within interval + a grace of 0 from here: late.
    breakIt: () => {
      now += 3600_000 + 1000;
      return { graceSeconds: 0 };
    },
    reason: 'no ping within 3600 s',
  },
];

describe.each(KINDS)('a $kind monitor: create → check → update → check', (k) => {
  it('is up on its target, then down on the target the edit gives it', async () => {
    const c = await t.signUp();
    const m = await c.monitors.create.mutate(k.create());
    if ('pingUrl' in m && m.pingUrl) rememberSecret(m.pingUrl.split('/').pop());
    expect(m).toMatchObject({ kind: k.kind, status: 'pending' });
    k.shown(m as Record<string, unknown>);
    if (k.beat) await k.beat((m as { pingUrl: string }).pingUrl);
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ kind: 'checked', verdict: { status: 'up' } });

    const edited = await c.monitors.update.mutate({ id: m.id, ...k.breakIt() });
    expect(edited).toMatchObject({ kind: k.kind, credentialsCleared: false });
    const after = await runCheck(t.svc, m.id, fast);
    expect(after).toMatchObject({ kind: 'checked', result: { ok: false, reason: k.reason }, verdict: { status: 'down' } });
    expect(await c.monitors.get.query({ id: m.id })).toMatchObject({ kind: k.kind, status: 'down', lastReason: k.reason });
  });
});
