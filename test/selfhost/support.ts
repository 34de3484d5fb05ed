import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../scripts/build-server.js';

const root = join(import.meta.dirname, '../..');

/**
 * The server as the container image runs it (`node dist/server.mjs`, built by
 * scripts/build-server.ts), in a directory of its own with the repo's node_modules beside it, as
 * /app/node_modules is in the image.
 */
export async function buildServerOnce() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-selfhost-'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const entry = await buildServer(join(dir, 'dist'));
  return { dir, entry, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export type Running = { child: ChildProcess; output: () => string; exited: Promise<number | null>; port: number };

/** Starts the built server with exactly this environment (and PATH) in `cwd`; resolves once it listens. */
export async function startServer(entry: string, cwd: string, env: Record<string, string>, port: number): Promise<Running> {
  mkdirSync(cwd, { recursive: true });
  const child = spawn(process.execPath, [entry], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const deadline = Date.now() + 20_000;
  while (!out.includes('Vigil is listening')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out, exited, port };
}

/** Registers and signs in through the REST /auth door; returns the session cookie. */
export async function signIn(base: string, origin: string): Promise<string> {
  const body = JSON.stringify({ email: `selfhost-${Math.random().toString(36).slice(2)}@example.com`, password: 'correct horse battery' });
  const headers = { origin, 'content-type': 'application/json' };
  const reg = await fetch(`${base}/auth/register`, { method: 'POST', headers, body });
  if (reg.status !== 202) throw new Error(`register: ${reg.status}`);
  const login = await fetch(`${base}/auth/login`, { method: 'POST', headers, body });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (login.status !== 200 || !cookie) throw new Error(`login: ${login.status}`);
  return cookie;
}
