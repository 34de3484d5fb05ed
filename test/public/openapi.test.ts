import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { downMonitors, getAccessToken, uptime30d } from '../../examples/partner/client.js';
import { runCheck } from '../../src/checker/run.js';
import { OPENAPI_FILE, renderOpenApi } from '../../src/public/openapi-file.js';
import { appAndTarget } from '../support/app-and-target.js';
import { partnerOf } from './support.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);

describe('openapi.json, the partners’ documentation', () => {
  it('is exactly what the code generates (run `npm run openapi` after changing the public API)', () => {
    expect(readFileSync(join(root, OPENAPI_FILE), 'utf8')).toBe(renderOpenApi());
  });

  it('passes redocly lint with no errors', async () => {
    const { stdout, stderr } = await run(bin('redocly'), ['lint', OPENAPI_FILE, '--format=json'], { cwd: root });
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number } };
    expect(report.totals.errors, stderr).toBe(0);
  }, 60_000);

  it('describes the client-credentials flow, bearer JWTs and every public route', () => {
    const doc = JSON.parse(readFileSync(join(root, OPENAPI_FILE), 'utf8'));
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl).toMatch(/\/oauth\/token$/);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(Object.keys(doc.paths).sort()).toEqual(['/maintenance', '/monitors', '/monitors/{id}', '/monitors/{id}/checks', '/monitors/{id}/incidents', '/oauth/token']);
    for (const path of Object.keys(doc.paths).filter((p) => p !== '/oauth/token')) {
      expect(Object.keys(doc.paths[path]), path).toEqual(['get']);
      expect(Object.keys(doc.paths[path].get.responses), path).toEqual(expect.arrayContaining(['200', '400', '401', '403', '429']));
    }
    expect(JSON.stringify(doc.components.schemas.Monitor)).not.toContain('keyword');
    // Credentials, headers and bodies of monitors never appear in the public schema.
    for (const field of ['auth', 'headers', 'body', 'pingUrl']) expect(Object.keys(doc.components.schemas.Monitor.properties)).not.toContain(field);
  });

  it('examples/partner/schema.d.ts is generated from the committed openapi.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-oas-'));
    try {
      await run(bin('openapi-typescript'), [OPENAPI_FILE, '-o', join(dir, 'schema.d.ts')], { cwd: root });
      expect(readFileSync(join(root, 'examples/partner/schema.d.ts'), 'utf8')).toBe(readFileSync(join(dir, 'schema.d.ts'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('served docs and the generated client', () => {
  const fx = appAndTarget();

  it('serves the document for this deployment and a docs page whose assets are local', async () => {
    const doc = (await (await fx.t.fetch('/api/v1/openapi.json', { origin: null })).json()) as { servers: { url: string }[] };
    expect(doc.servers[0]!.url).toBe('http://vigil.test/api/v1');

    const page = await fx.t.fetch('/api/v1/docs', { origin: null });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/(src|href)="https?:/);
    for (const asset of html.match(/\/api\/v1\/docs\/[\w.-]+/g) ?? []) {
      const res = await fx.t.fetch(asset, { origin: null });
      expect(res.status, asset).toBe(200);
      expect((await res.text()).length, asset).toBeGreaterThan(1000);
    }
  });

  it('a partner written from openapi.json alone (openapi-fetch) finds the monitor that is down', async () => {
    const p = await partnerOf(fx.t);
    await p.user.monitors.create.mutate({ name: 'fine', url: fx.target.url });
    const broken = await p.user.monitors.create.mutate({ name: 'broken', url: `${fx.target.url}?broken` });
    fx.target.answer(500, 500);
    await runCheck(fx.t.svc, broken.id, { confirmDelayMs: 0 });

    const down = await downMonitors(fx.t.baseUrl, p.clientId, p.clientSecret);
    expect(down.map((m) => m.name)).toEqual(['broken']);
    const token = await getAccessToken(fx.t.baseUrl, p.clientId, p.clientSecret);
    expect(await uptime30d(fx.t.baseUrl, token, broken.id)).toBe(0);
  });
});
