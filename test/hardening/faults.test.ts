import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checker/run.js';
import { reconcile } from '../../src/monitors/reconcile.js';
import { fakeEventBridge } from '../support/fake-eventbridge.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { httpStatusOf } from '../support/http-status.js';
import { accessToken, api, basic, partnerOf, tokenRequest } from '../public/support.js';
import { leaksInternals, reportFigures } from './figures.js';

const site = { name: 'API', url: 'https://api.example.com/health' };
let faults = 0;
let consistencyChecks = 0;
// Every check below asserts; a failed one fails the suite, so the figures are of passing runs.
afterAll(() => reportFigures('faults', { faultsInjected: faults, consistencyChecks }));

const statusOf = httpStatusOf;

async function expectUnavailable(res: Response, what: string) {
  const body = await res.text();
  expect(res.status, `${what}: ${body}`).toBe(503);
  expect(res.headers.get('retry-after'), what).toMatch(/^\d+$/);
  expect(leaksInternals(body), `${what}: ${body}`).toBe(false);
  expect(body, what).toMatch(/temporarily unavailable/);
}

describe('the database fails mid-request', () => {
  it('a closed connection: every door answers 503 with Retry-After, and the failure is logged without detail leaking', async () => {
    const t = await startTestApp();
    const p = await partnerOf(t);
    const token = await accessToken(t, p);
    const cookie = `vigil_session=${p.user.jar.get('vigil_session')}`;
    t.svc.db.$client.close();
    faults++;
    const json = { 'content-type': 'application/json' };
    await expectUnavailable(await t.fetch('/internal/monitors.list', { headers: { cookie } }), 'tRPC query');
    await expectUnavailable(await t.fetch('/internal/monitors.create', { method: 'POST', headers: { cookie, ...json }, body: JSON.stringify(site) }), 'tRPC mutation');
    await expectUnavailable(await t.fetch('/auth/login', { method: 'POST', headers: json, body: JSON.stringify({ email: p.user.email, password: p.user.password }) }), 'REST login');
    await expectUnavailable(await api(t, '/monitors', token), 'public API');
    await expectUnavailable(await tokenRequest(t, { grant_type: 'client_credentials' }, { authorization: basic(p.clientId, p.clientSecret) }), 'token endpoint');
    const page = await t.fetch('/status/some-page');
    expect(page.headers.get('content-type'), 'status page').toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control'), 'status page').toBe('no-store');
    await expectUnavailable(page, 'status page');
    expect(t.logs.some((l) => l.includes('"level":"error"'))).toBe(true);
    await t.close();
  });

  it('a locked database file: a short lock is waited out, a long one is a 503, and nothing is half-written', async () => {
    const t = await startTestApp();
    const c = await t.signUp();
    const file = t.svc.config.databaseUrl;
    try {
      // Another process holds the write lock for 300 ms, within busy_timeout: the request waits.
      let lock = await holdWriteLock(file, 300);
      faults++;
      expect((await c.monitors.create.mutate(site)).name).toBe(site.name);
      await lock.released;

      // Held beyond busy_timeout (shortened here to keep the suite quick): a clean 503, nothing written.
      await t.svc.db.$client.execute('PRAGMA busy_timeout = 200');
      lock = await holdWriteLock(file, 1500);
      faults++;
      const res = await t.fetch('/internal/monitors.create', {
        method: 'POST',
        headers: { cookie: `vigil_session=${c.jar.get('vigil_session')}`, 'content-type': 'application/json' },
        body: JSON.stringify(site),
      });
      await expectUnavailable(res, 'locked');
      await lock.released;
      expect((await c.monitors.list.query()).items).toHaveLength(1);
      expect(await t.scheduler.list()).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});

/** A separate process holding SQLite's write lock on `file` for `ms`, as a second writer would. */
async function holdWriteLock(file: string, ms: number): Promise<{ released: Promise<void> }> {
  const script = `
    import { createClient } from '@libsql/client';
    const db = createClient({ url: process.argv[1] });
    const tx = await db.transaction('write');
    await tx.execute("update accounts set plan = plan where id = 'none'");
    console.log('locked');
    setTimeout(async () => { await tx.commit(); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, file, String(ms)], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  const released = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.on('exit', () => reject(new Error('lock holder exited early')));
  });
  return { released };
}

describe('the scheduler fails: throttling, a 500, a timeout', () => {
  const aws = fakeEventBridge();
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ scheduler: aws.scheduler });
  });
  afterAll(async () => {
    await t.close();
    aws.restore();
  });

  const errors: [string, () => Error][] = [
    ['throttling', () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } })],
    ['an internal error', () => Object.assign(new Error('Internal failure'), { name: 'InternalServerException', $metadata: { httpStatusCode: 500 } })],
    ['a timeout', () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ETIMEDOUT' })],
  ];

  const consistent = async () => {
    consistencyChecks++;
    const ids = (await t.svc.db.$client.execute('select id from monitors order by id')).rows.map((r) => r.id);
    expect([...aws.store.keys()].sort()).toEqual(ids);
  };

  it.each(errors)('%s: create, update and delete answer 503 and leave database and schedules agreeing', async (_name, error) => {
    const c = await t.signUp();
    const kept = await c.monitors.create.mutate(site);
    for (const op of ['create', 'update', 'delete'] as const) {
      aws.failWith.set(op, error);
      faults++;
      const call =
        op === 'create' ? c.monitors.create.mutate(site) : op === 'update' ? c.monitors.update.mutate({ id: kept.id, paused: true }) : c.monitors.delete.mutate({ id: kept.id });
      expect(await statusOf(call), op).toBe(503);
      aws.failWith.clear();
      await consistent();
    }
    expect(await c.monitors.get.query({ id: kept.id })).toMatchObject({ paused: false, status: 'pending' });
    expect(t.logs.join('\n')).not.toMatch(/Internal failure\n\s+at /);
  });

  it('reconcile repairs what failures outside a request left behind, and reports what it could not', async () => {
    const c = await t.signUp();
    const a = await c.monitors.create.mutate(site);
    const b = await c.monitors.create.mutate(site);
    aws.store.delete(a.id); // a schedule lost
    aws.store.set('mon_orphan000000000000', { ...aws.store.get(b.id)!, Name: 'mon_orphan000000000000' }); // one left over
    aws.store.set(b.id, { ...aws.store.get(b.id)!, ScheduleExpression: 'rate(1 minutes)' }); // drifted
    faults += 3;
    aws.failWith.set('delete', () => Object.assign(new Error('Internal failure'), { name: 'InternalServerException' }));
    const first = await reconcile(t.svc);
    expect(first).toMatchObject({ created: 1, updated: 1, failed: 1 });
    aws.failWith.clear();
    const second = await reconcile(t.svc);
    expect(second).toMatchObject({ removed: 1, failed: 0 });
    await consistent();
    expect(aws.store.get(b.id)!.ScheduleExpression).toBe('rate(5 minutes)');
  });
});

describe('the checker’s target misbehaves', () => {
  let t: TestApp;
  const servers: Server[] = [];
  /** A TCP server that does `behave` with each connection: never answer, or answer garbage. */
  async function rawTarget(behave: (socket: import('node:net').Socket) => void): Promise<string> {
    const server = createServer(behave);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await t.close();
  });

  it.each([
    ['hangs after accepting', (s: import('node:net').Socket) => s.on('error', () => {}), /^timeout after 1000 ms$/],
    ['sends garbage', (s: import('node:net').Socket) => s.end('\x00\x01garbage, not HTTP\r\n\r\n'), /./],
    ['sends headers then dies mid-body', (s: import('node:net').Socket) => s.end('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\npartial'), /./],
  ])('%s: the check is recorded as down with a short reason, and the monitor goes down', async (_name, behave, reason) => {
    const url = await rawTarget(behave);
    const c = await t.signUp();
    const m = await c.monitors.create.mutate({ name: 'bad', url, timeoutMs: 1000, keyword: 'needle' });
    faults++;
    const outcome = await runCheck(t.svc, m.id, { confirmDelayMs: 0 });
    expect(outcome).toBeTruthy();
    const after = await c.monitors.get.query({ id: m.id });
    expect(after.status).toBe('down');
    expect(after.lastReason).toMatch(reason);
    expect(after.lastReason!.length).toBeLessThan(100);
    const checks = await c.monitors.checks.query({ id: m.id });
    expect(checks.items.every((ch) => !ch.ok)).toBe(true);
  }, 20_000);
});
