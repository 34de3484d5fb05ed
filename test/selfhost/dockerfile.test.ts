import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildServerOnce, freePort, startServer } from './support.js';

/**
 * No Docker engine here (and none needed in CI): the Dockerfile, .dockerignore and compose.yaml
 * are read for what the image promises, and the parts that run without an engine are run — the
 * HEALTHCHECK command against the built server, the CMD's entry (test/selfhost/server.test.ts).
 */
const root = join(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
const compose = readFileSync(join(root, 'compose.yaml'), 'utf8');

/** The Dockerfile's instructions (continuation lines joined, comments dropped), by stage. */
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => ({ op: l.split(/\s+/)[0]!.toUpperCase(), args: l.slice(l.indexOf(' ') + 1).trim() }));
const stages = instructions.reduce<(typeof instructions)[]>((acc, i) => (i.op === 'FROM' ? [...acc, [i]] : (acc.at(-1)!.push(i), acc)), []);
const final = stages.at(-1)!;
const all = (op: string, of = final) => of.filter((i) => i.op === op).map((i) => i.args);
const healthcheck = all('HEALTHCHECK')[0] ?? '';
const healthcheckArgv = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD') + 3).trim()) as string[];

describe('the Dockerfile', () => {
  it('is multi-stage, every stage on the slim Node 22 LTS image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s[0]!.args).toMatch(/^node:22-slim\b/);
  });

  it('runs as a non-root user, after the last step that needs root', () => {
    const lastUser = final.map((i) => i.op).lastIndexOf('USER');
    expect(lastUser).toBeGreaterThan(-1);
    expect(final[lastUser]!.args).not.toMatch(/^(root|0)(:|$)/);
    expect(final.slice(lastUser + 1).filter((i) => i.op === 'RUN')).toEqual([]);
  });

  it('keeps its state in the volume /data, listens on every interface at 3000, and starts the built server', () => {
    expect(all('VOLUME')).toEqual(['/data']);
    expect(all('EXPOSE')).toEqual(['3000']);
    const env = all('ENV').join(' ');
    for (const kv of ['HOST=0.0.0.0', 'PORT=3000', 'DATA_DIR=/data', 'NODE_ENV=production']) expect(env).toContain(kv);
    expect(all('CMD')).toEqual(['["node", "dist/server.mjs"]']);
    expect(all('STOPSIGNAL')).toEqual(['SIGTERM']);
    // The web app is built when the checkout has one, and shipped.
    expect(all('RUN', stages[0]).join('\n')).toMatch(/npm run build:web --if-present/);
    expect(all('RUN', stages[0]).join('\n')).toMatch(/npm run build:server/);
    expect(all('COPY')).toContain('--from=build /app/web/dist ./web/dist');
    // Production dependencies only in what runs.
    expect(stages.flat().filter((i) => i.op === 'RUN').map((i) => i.args).join('\n')).toMatch(/npm ci --omit=dev/);
  });

  it('has a HEALTHCHECK on /healthz that passes against the running server and fails when it is down', async () => {
    expect(healthcheck).toMatch(/\/healthz/);
    expect(healthcheckArgv[0]).toBe('node');
    const built = await buildServerOnce();
    const port = await freePort();
    const run = promisify(execFile);
    const check = () => run(process.execPath, healthcheckArgv.slice(1), { env: { PORT: String(port) }, timeout: 10_000 });
    try {
      const server = await startServer(built.entry, join(built.dir, 'hc'), { PORT: String(port), DATA_DIR: join(built.dir, 'hc-data') }, port);
      await expect(check()).resolves.toBeDefined();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      await expect(check()).rejects.toMatchObject({ code: 1 });
    } finally {
      built.cleanup();
    }
  }, 60_000);
});

describe('.dockerignore and compose.yaml', () => {
  it('never send local state or secrets into the build', () => {
    for (const entry of ['.git', 'node_modules', 'data', '.env', '.env.*']) expect(dockerignore).toContain(entry);
  });

  it('compose: the service on a named volume at /data, a stop grace above the longest check, an SMTP relay only under its profile', () => {
    expect(compose).toMatch(/^\s+- vigil-data:\/data$/m);
    expect(compose).toMatch(/^volumes:\n\s+vigil-data:/m);
    expect(Number(/stop_grace_period: (\d+)s/.exec(compose)?.[1])).toBeGreaterThanOrEqual(70);
    expect(compose).toMatch(/^ {2}smtp:\n {4}profiles: \[smtp\]/m);
    // Inside the container, whatever .env says for npm start: every interface, port 3000, /data.
    expect(compose).toMatch(/HOST: 0\.0\.0\.0/);
    expect(compose).toMatch(/DATA_DIR: \/data/);
  });
});

describe('.env', () => {
  it('is ignored by git, and .env.example names every variable a self-hoster sets', () => {
    expect(readFileSync(join(root, '.gitignore'), 'utf8').split('\n')).toContain('.env');
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    for (const name of ['AUTH_SECRET', 'HOST', 'PORT', 'DATA_DIR', 'APP_URL', 'TRUST_PROXY', 'SMTP_URL', 'MAIL_FROM']) expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});
