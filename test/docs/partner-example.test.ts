import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { runCheck } from '../../src/checker/run.js';
import { partnerOf } from '../public/support.js';
import { appAndTarget } from '../support/app-and-target.js';

/** examples/partner/README.md's command, run as a partner runs it, against a real app. */
const fx = appAndTarget();
const root = join(import.meta.dirname, '../..');

function examplePartner(env: Record<string, string>) {
  const run = promisify(execFile)('npm', ['run', '--silent', 'example:partner'], {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? root, ...env },
    timeout: 60_000,
  });
  return run.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('npm run example:partner', () => {
  it('gets a token with the client’s credentials and lists every monitor through /api/v1, page by page', async () => {
    const { user, clientId, clientSecret } = await partnerOf(fx.t);
    await setPlanByEmail(fx.t.svc, user.email, 'team'); // room for more than one page of 100
    const names = Array.from({ length: 103 }, (_, i) => `site ${i}`);
    for (const name of names) await user.monitors.create.mutate({ name, url: fx.target.url, paused: true });
    const first = (await user.monitors.list.query({ limit: 1 })).items[0]!;
    await user.monitors.update.mutate({ id: first.id, paused: false });
    await runCheck(fx.t.svc, first.id, { confirmDelayMs: 0 });

    const run = await examplePartner({ VIGIL_URL: fx.t.baseUrl, VIGIL_CLIENT_ID: clientId, VIGIL_CLIENT_SECRET: clientSecret });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(`103 monitors at ${fx.t.baseUrl}`);
    expect(lines.slice(1)).toHaveLength(103); // more than one page of 100
    expect(lines[1]).toMatch(new RegExp(`^${first.id}  up +http +site 0  ${fx.target.url.replace(/[.?]/g, '\\$&')}$`));
    expect(lines.filter((l) => / paused /.test(l))).toHaveLength(102);
  }, 90_000);

  it('says which setting is missing, and fails on credentials that are not a client’s', async () => {
    const missing = await examplePartner({ VIGIL_URL: fx.t.baseUrl });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('VIGIL_CLIENT_ID and VIGIL_CLIENT_SECRET');
    const wrong = await examplePartner({ VIGIL_URL: fx.t.baseUrl, VIGIL_CLIENT_ID: 'cli_nobody', VIGIL_CLIENT_SECRET: 'not-a-secret' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('token request failed: 401 invalid_client');
  }, 90_000);
});
