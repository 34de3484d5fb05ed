import { readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checker/run.js';
import { accessToken, api, partnerOf } from '../public/support.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';
import { rejection } from '../support/http-status.js';

const PASSWORD = 'hunter2-correct-horse-battery';
const BEARER = 'tok_live_9f8e7d6c5b4a39281706';

let t: TestApp;
let server: Server;
let base: string;
let last: { headers: IncomingMessage['headers']; body: string; method: string } | null = null;
beforeAll(async () => {
  rememberSecret(PASSWORD);
  rememberSecret(BEARER);
  t = await startTestApp();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      last = { headers: req.headers, body, method: req.method ?? '' };
      const expected = `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`;
      if (req.url === '/basic' && req.headers.authorization !== expected) return void res.writeHead(401).end();
      if (req.url === '/bearer' && req.headers.authorization !== `Bearer ${BEARER}`) return void res.writeHead(401).end();
      if (req.url === '/slow') return void setTimeout(() => res.end('slow but fine'), 250);
      res.end('<p>Status: All Systems GO</p>');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t.close();
  await new Promise((r) => server.close(r));
});

const fast = { confirmDelayMs: 0 };


describe('HTTP request settings', () => {
  it('sends the monitor’s headers and POST body to the target', async () => {
    const c = await t.signUp();
    const m = await c.monitors.create.mutate({
      name: 'post',
      url: `${base}/hook`,
      method: 'POST',
      headers: { 'X-Probe': 'vigil', 'Content-Type': 'application/json' },
      body: '{"ping":true}',
    });
    expect(m).toMatchObject({ headers: { 'X-Probe': 'vigil', 'Content-Type': 'application/json' }, body: '{"ping":true}', auth: null });
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'up' } });
    expect(last).toMatchObject({ method: 'POST', body: '{"ping":true}' });
    expect(last!.headers).toMatchObject({ 'x-probe': 'vigil', 'content-type': 'application/json', 'content-length': '13' });
  });

  it('refuses hop-by-hop headers, Host, Authorization, more than 20 headers and bodies over 8 KiB, naming the field', async () => {
    const c = await t.signUp();
    const url = `${base}/x`;
    const refused: Record<string, string>[] = [{ Connection: 'close' }, { Host: 'evil.example' }, { 'Transfer-Encoding': 'chunked' }, { Authorization: 'Basic x' }, { 'bad name': 'x' }];
    for (const headers of refused) {
      const r = await rejection(c.monitors.create.mutate({ name: 'h', url, headers }));
      expect(r.status).toBe(400);
      expect(r.message).toMatch(/^headers/);
    }
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v']));
    expect(await rejection(c.monitors.create.mutate({ name: 'h', url, headers: many }))).toMatchObject({ status: 400, message: expect.stringMatching(/at most 20 headers/) });
    const big = 'x'.repeat(8 * 1024 + 1);
    expect(await rejection(c.monitors.create.mutate({ name: 'h', url, method: 'POST', body: big }))).toMatchObject({ status: 400, message: expect.stringMatching(/^body/) });
    expect(await c.monitors.create.mutate({ name: 'h', url, method: 'POST', body: 'x'.repeat(8 * 1024) })).toMatchObject({ method: 'POST' });
  });

  it('keyword modes: case-insensitive by default, case-sensitive on request, and "absent"', async () => {
    const c = await t.signUp();
    const url = `${base}/page`;
    const make = (extra: object) => c.monitors.create.mutate({ name: 'k', url, ...extra });
    const status = async (extra: object) => ((await runCheck(t.svc, (await make(extra)).id, fast)) as { verdict: { status: string } }).verdict.status;
    expect(await status({ keyword: 'all systems go' })).toBe('up');
    expect(await status({ keyword: 'all systems go', keywordCaseSensitive: true })).toBe('down');
    expect(await status({ keyword: 'All Systems GO', keywordCaseSensitive: true })).toBe('up');
    expect(await status({ keyword: 'error', keywordMode: 'absent' })).toBe('up');
    expect(await status({ keyword: 'STATUS', keywordMode: 'absent' })).toBe('down');
    const m = await make({ keyword: 'x' });
    expect(m).toMatchObject({ keywordMode: 'present', keywordCaseSensitive: false });
  });

  it('a response slower than degradedAboveMs is up but degraded: shown everywhere, never an incident', async () => {
    const p = await partnerOf(t);
    const m = await p.user.monitors.create.mutate({ name: 'slow', url: `${base}/slow`, degradedAboveMs: 100 });
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'degraded' } });
    expect(await p.user.monitors.get.query({ id: m.id })).toMatchObject({ status: 'degraded' });
    expect((await p.user.monitors.incidents.query({ id: m.id })).items).toEqual([]);
    const token = await accessToken(t, p);
    const pub = (await (await api(t, `/monitors/${m.id}`, token)).json()) as { status: string };
    expect(pub.status).toBe('degraded');
    const filtered = (await (await api(t, '/monitors?status=degraded', token)).json()) as { data: { id: string }[] };
    expect(filtered.data.map((x) => x.id)).toEqual([m.id]);
  });
});

describe('credentials for the target', () => {
  it('checks with basic auth and bearer tokens, returns only { type, set: true }, and keeps the secret out of the database file, responses and logs', async () => {
    const p = await partnerOf(t);
    const basicM = await p.user.monitors.create.mutate({ name: 'basic', url: `${base}/basic`, auth: { type: 'basic', username: 'ops', password: PASSWORD } });
    const bearerM = await p.user.monitors.create.mutate({ name: 'bearer', url: `${base}/bearer`, auth: { type: 'bearer', token: BEARER } });
    expect(basicM.auth).toEqual({ type: 'basic', set: true });
    expect(bearerM.auth).toEqual({ type: 'bearer', set: true });
    expect(await runCheck(t.svc, basicM.id, fast)).toMatchObject({ verdict: { status: 'up' } });
    expect(await runCheck(t.svc, bearerM.id, fast)).toMatchObject({ verdict: { status: 'up' } });

    // Editing something else keeps them; null removes them (and the target then refuses us).
    await p.user.monitors.update.mutate({ id: basicM.id, name: 'basic 2' });
    expect(await runCheck(t.svc, basicM.id, fast)).toMatchObject({ verdict: { status: 'up' } });

    const responses = JSON.stringify([
      await p.user.monitors.get.query({ id: basicM.id }),
      await p.user.monitors.list.query(),
      await (await api(t, '/monitors', await accessToken(t, p))).json(),
      await (await api(t, `/monitors/${bearerM.id}`, await accessToken(t, p))).json(),
    ]);
    const encoded = Buffer.from(`ops:${PASSWORD}`).toString('base64');
    for (const secret of [PASSWORD, BEARER, encoded]) expect(responses).not.toContain(secret);

    const file = t.svc.config.databaseUrl.slice('file:'.length);
    const bytes = [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
    expect(bytes).toContain('v1:'); // the sealed form is there…
    for (const secret of [PASSWORD, BEARER, encoded]) expect(bytes).not.toContain(secret); // …the plaintext is not

    await p.user.monitors.update.mutate({ id: basicM.id, auth: null });
    expect((await p.user.monitors.get.query({ id: basicM.id })).auth).toBeNull();
    expect(await runCheck(t.svc, basicM.id, fast)).toMatchObject({ result: { reason: 'HTTP 401' } });
  });
});

describe('tags and list filters', () => {
  it('stores lower-cased tags and filters the list by tag, status and search, paged', async () => {
    const c = await t.signUp();
    const a = await c.monitors.create.mutate({ name: 'Shop API', url: 'https://shop.example.com/', tags: ['Prod', 'shop', 'prod'] });
    const b = await c.monitors.create.mutate({ name: 'Blog', url: 'https://blog.example.com/', tags: ['staging'] });
    await c.monitors.create.mutate({ name: 'Docs 100%_', url: 'https://docs.example.com/', paused: true });
    expect(a.tags).toEqual(['prod', 'shop']);
    const ids = async (input: object) => (await c.monitors.list.query(input)).items.map((m) => m.id);
    expect(await ids({ tag: 'PROD' })).toEqual([a.id]);
    expect(await ids({ tag: 'staging' })).toEqual([b.id]);
    expect(await ids({ search: 'blog.example' })).toEqual([b.id]);
    expect(await ids({ search: '%' })).toHaveLength(1); // a literal %, not a wildcard
    expect(await ids({ status: 'paused' })).toHaveLength(1);
    const page = await c.monitors.list.query({ limit: 2 });
    expect(page.items).toHaveLength(2);
    expect((await c.monitors.list.query({ limit: 2, cursor: page.nextCursor })).items).toHaveLength(1);
    expect(await rejection(c.monitors.create.mutate({ name: 'x', url: 'https://e.com/', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }))).toMatchObject({ status: 400 });
    expect(await rejection(c.monitors.create.mutate({ name: 'x', url: 'https://e.com/', tags: ['x'.repeat(33)] }))).toMatchObject({ status: 400 });
  });
});
