import { createClient } from '@libsql/client';
import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberSecret } from '../support/ledger.js';
import { buildServerOnce, freePort, signIn, startServer, type Running } from './support.js';

/**
 * Self-hosting without a Docker engine: the built server the image runs (`node dist/server.mjs`),
 * started as the image starts it, proves what the image relies on — everything under DATA_DIR
 * (the volume), the .env file, HOST binding, and SIGTERM finishing the check in flight and
 * closing the database. The Dockerfile itself is linted in dockerfile.test.ts.
 */
let built: Awaited<ReturnType<typeof buildServerOnce>>;
const running: Running[] = [];
beforeAll(async () => {
  built = await buildServerOnce();
}, 60_000);
afterAll(() => {
  for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  built.cleanup();
});

async function start(name: string, env: Record<string, string>, port?: number) {
  const p = port ?? (await freePort());
  const r = await startServer(built.entry, join(built.dir, name), { PORT: String(p), ...env }, p);
  running.push(r);
  return r;
}
const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
const outside = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('the self-hosted server', () => {
  it('keeps the database, the mail and its generated secret under DATA_DIR (the image volume), and answers /healthz', async () => {
    const data = join(built.dir, 'volume');
    const r = await start('layout', { DATA_DIR: data });
    const base = `http://127.0.0.1:${r.port}`;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    await signIn(base, `http://localhost:${r.port}`); // writes the verification email
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(readdirSync(data).sort()).toEqual(expect.arrayContaining(['auth-secret', 'mail', 'vigil.db']));
    expect(readdirSync(join(data, 'mail')).some((f) => f.endsWith('.eml'))).toBe(true);
    // Nothing was written beside the working directory's ./data.
    expect(existsSync(join(built.dir, 'layout', 'data'))).toBe(false);
  }, 40_000);

  it('reads a .env file at start, and the environment wins over it', async () => {
    const port = await freePort();
    const cwd = join(built.dir, 'dotenv');
    const r0 = await start('dotenv', { DATA_DIR: join(cwd, 'from-env') }, await freePort()); // creates the directory
    r0.child.kill('SIGTERM');
    await r0.exited;
    writeFileSync(join(cwd, '.env'), `PORT=${port}\nDATA_DIR=${join(cwd, 'from-file')}\n`);
    const r = await startServer(built.entry, cwd, { DATA_DIR: join(cwd, 'from-env') }, port);
    running.push(r);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(existsSync(join(cwd, 'from-env', 'vigil.db'))).toBe(true);
    expect(existsSync(join(cwd, 'from-file'))).toBe(false);
  }, 40_000);

  it.skipIf(!outside)('listens on 127.0.0.1 by default (unreachable from outside), on every interface with HOST=0.0.0.0', async () => {
    const local = await start('host-default', { DATA_DIR: join(built.dir, 'h1') });
    expect(await reachable('127.0.0.1', local.port)).toBe(true);
    expect(await reachable(outside!, local.port)).toBe(false);
    local.child.kill('SIGTERM');
    const any = await start('host-any', { DATA_DIR: join(built.dir, 'h2'), HOST: '0.0.0.0' });
    expect(await reachable(outside!, any.port)).toBe(true);
    expect(any.output()).toContain('Vigil is listening on http://localhost:');
    any.child.kill('SIGTERM');
    expect(await any.exited).toBe(0);
  }, 40_000);

  it('refuses a bad HOST or TRUST_PROXY at start, naming the variable', async () => {
    const r = startServer(built.entry, join(built.dir, 'bad'), { DATA_DIR: join(built.dir, 'h3'), HOST: 'not a host', TRUST_PROXY: 'x-anything' }, await freePort());
    await expect(r).rejects.toThrow(/HOST: must be an address to listen on.*TRUST_PROXY: must be one of/s);
  }, 20_000);

  it('on SIGTERM, finishes the check in flight, records it, closes the database (empty WAL) and exits 0', async () => {
    // A target that answers 1.5 s after it is asked: the check is in flight when the signal comes.
    let asked = 0;
    let answered = 0;
    const target: Server = createServer((_req, res) => {
      asked++;
      setTimeout(() => (answered++, res.end('ok')), 1500);
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}/`;
    const data = join(built.dir, 'sigterm');
    try {
      const r = await start('sigterm', { DATA_DIR: data, ALLOW_PRIVATE_TARGETS: 'true' });
      const base = `http://127.0.0.1:${r.port}`;
      const origin = `http://localhost:${r.port}`;
      const cookie = await signIn(base, origin);
      rememberSecret(cookie.split('=')[1]);
      const created = await fetch(`${base}/internal/monitors.create`, {
        method: 'POST',
        headers: { origin, cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'slow', url: targetUrl }),
      });
      expect(created.status).toBe(200);
      const monitorId = ((await created.json()) as { result: { data: { id: string } } }).result.data.id;
      // The immediate first check reaches the target; then the signal.
      for (const until = Date.now() + 10_000; asked === 0 && Date.now() < until; ) await new Promise((res) => setTimeout(res, 20));
      expect(asked).toBe(1);
      r.child.kill('SIGTERM');
      expect(await r.exited).toBe(0);
      expect(answered).toBe(1);
      expect(r.output()).toMatch(/server\.stopping[\s\S]*check\.done[\s\S]*server\.stopped/);
      expect(await reachable('127.0.0.1', r.port)).toBe(false);
      expect(statSync(join(data, 'vigil.db-wal')).size).toBe(0);
      const db = createClient({ url: `file:${join(data, 'vigil.db')}` });
      const rows = await db.execute({ sql: 'SELECT ok FROM checks WHERE monitor_id = ?', args: [monitorId] });
      db.close();
      expect(rows.rows.map((x) => Number(x.ok))).toEqual([1]);
    } finally {
      await new Promise((res) => target.close(res));
    }
  }, 40_000);
});
