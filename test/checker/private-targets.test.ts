import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checker/run.js';
import { loadConfig, type Config } from '../../src/config.js';
import { appAndTarget } from '../support/app-and-target.js';
import { rejection } from '../support/http-status.js';

/**
 * A refused private target names the setting that allows it where the person can set it (their own
 * machine), and only there: on Lambda and with NODE_ENV=production the words say private addresses
 * cannot be monitored, nothing more.
 */
const fx = appAndTarget();
const SETTING = 'set ALLOW_PRIVATE_TARGETS=true to monitor private addresses';
const settable = () => fx.t.svc.config as { -readonly [K in keyof Config]: Config[K] };

describe('the words of a refused private target', () => {
  it('locally, a monitor made with the setting and checked after a restart without it goes down naming the setting', async () => {
    const c = await fx.t.signUp();
    const m = await c.monitors.create.mutate({ name: 'my own service', url: fx.target.url });
    settable().allowPrivateTargets = false; // what a restart without ALLOW_PRIVATE_TARGETS gives the checker
    try {
      const run = await runCheck(fx.t.svc, m.id, { confirmDelayMs: 0 });
      expect(run).toMatchObject({ verdict: { status: 'down' }, confirmed: true });
      const shown = await c.monitors.get.query({ id: m.id });
      expect(shown.lastReason).toBe(`blocked: private address 127.0.0.1; ${SETTING}`);
      const [incident] = (await c.monitors.incidents.query({ id: m.id })).items;
      expect(incident!.reason).toContain(SETTING);
    } finally {
      settable().allowPrivateTargets = true;
    }
  });

  it('deployed, the same check and a create say only that private addresses cannot be monitored', async () => {
    const c = await fx.t.signUp();
    const m = await c.monitors.create.mutate({ name: 'inside', url: fx.target.url });
    Object.assign(settable(), { allowPrivateTargets: false, namesSettings: false });
    try {
      await runCheck(fx.t.svc, m.id, { confirmDelayMs: 0 });
      expect((await c.monitors.get.query({ id: m.id })).lastReason).toBe('blocked: private address 127.0.0.1');
      const refused = await rejection(c.monitors.create.mutate({ name: 'x', url: 'http://127.0.0.1:8080/' }));
      expect(refused).toMatchObject({ status: 400, message: 'url: points to a private or loopback address (127.0.0.1); only public addresses can be monitored' });
      expect(JSON.stringify(refused)).not.toContain('ALLOW_PRIVATE_TARGETS');
    } finally {
      Object.assign(settable(), { allowPrivateTargets: true, namesSettings: true });
    }
  });

  it('names the setting on a developer’s machine and in tests, never on Lambda or in production', () => {
    const base = { DATABASE_URL: 'file:/tmp/vigil-private-targets.db', AUTH_SECRET: 'x'.repeat(32) };
    expect(loadConfig(base).namesSettings).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).namesSettings).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).namesSettings).toBe(false);
    const lambda = {
      ...base,
      AWS_LAMBDA_FUNCTION_NAME: 'vigil-checker',
      DATABASE_URL: 'libsql://db.example.turso.io',
      SEALING_SECRET: 'k'.repeat(32),
      SCHEDULER: 'eventbridge',
      CHECKER_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:1:function:checker',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::1:role/scheduler',
    };
    expect(loadConfig({ ...lambda, NODE_ENV: 'test' }, 'checker').namesSettings).toBe(false);
    expect(loadConfig({ ...lambda, ALLOW_PRIVATE_TARGETS: 'true' }, 'checker').allowPrivateTargets).toBe(false);
  });
});
