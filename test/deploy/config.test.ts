import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type ConfigRole } from '../../src/config.js';

const base = { DATABASE_URL: 'file:/tmp/vigil-config-test.db', AUTH_SECRET: 'x'.repeat(32) };
const lambda = {
  AWS_LAMBDA_FUNCTION_NAME: 'vigil-api',
  DATABASE_URL: 'libsql://db.example.turso.io',
  AUTH_SECRET: 'x'.repeat(32),
  SEALING_SECRET: 'k'.repeat(32),
  SCHEDULER: 'eventbridge',
  CHECKER_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:1:function:checker',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::1:role/scheduler',
};

function errorOf(env: Record<string, string>, role: ConfigRole = 'api'): string {
  try {
    loadConfig(env, role);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it("lets the local server's own origin in, whatever its port, so the README's curl flow works", () => {
    expect(loadConfig({ ...base, PORT: '4321' }).appOrigins).toEqual(['http://localhost:5173', 'http://localhost:4321']);
    expect(loadConfig(base).appOrigins).toContain('http://localhost:3000');
    expect(loadConfig({ ...base, PORT: '4321', APP_ORIGINS: 'https://app.example.com' }).appOrigins).toEqual(['https://app.example.com']);
  });

  it('shows stacks only on a developer machine', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).isDev).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).isDev).toBe(false);
    expect(loadConfig({ ...lambda, NODE_ENV: 'development', MAIL_TRANSPORT: 'ses' }).isDev).toBe(false);
  });

  it('names a missing session secret in production', () => {
    expect(errorOf({ ...base, AUTH_SECRET: '', NODE_ENV: 'production' })).toMatch(/SESSION_SECRET: required .*or AUTH_SECRET/);
    const { AUTH_SECRET: _, ...noSecret } = base;
    expect(errorOf({ ...noSecret, NODE_ENV: 'production' })).toMatch(/^Invalid configuration: SESSION_SECRET/);
  });

  it('gives each API only its own kind of secret (finding 9)', () => {
    const { AUTH_SECRET: _, ...noSecret } = lambda;
    const session = 's'.repeat(32);
    const access = 'a'.repeat(32);
    expect(loadConfig({ ...noSecret, SESSION_SECRET: session, ACCESS_TOKEN_SECRET: access }, 'api').tokenSecrets).toEqual({ session, access });
    expect(loadConfig({ ...noSecret, SESSION_SECRET: session, ACCESS_TOKEN_SECRET: access }, 'public-api').tokenSecrets).toEqual({ session: undefined, access });
    expect(errorOf({ ...noSecret, SESSION_SECRET: session }, 'public-api')).toMatch(/ACCESS_TOKEN_SECRET: required/);
  });

  it('gives the sealing secret (webhook signing secrets, monitor credentials) to the internal API, the notifier and the checker only, never a token secret', () => {
    const { AUTH_SECRET: _, ...noSecret } = lambda;
    const sealing = lambda.SEALING_SECRET;
    const notifier = loadConfig({ ...noSecret, MAIL_TRANSPORT: 'ses' }, 'notifier');
    expect(notifier).toMatchObject({ sealingSecret: sealing, tokenSecrets: { session: undefined, access: undefined } });
    expect(loadConfig({ ...noSecret, SESSION_SECRET: 's'.repeat(32) }, 'api').sealingSecret).toBe(sealing);
    // The checker opens monitor credentials with it (and with older secrets during a rotation).
    const checker = loadConfig({ ...noSecret, SEALING_SECRET_PREVIOUS: `${'o'.repeat(32)}, ${'p'.repeat(32)}` }, 'checker');
    expect(checker).toMatchObject({ sealingSecret: sealing, sealingSecretsPrevious: ['o'.repeat(32), 'p'.repeat(32)], tokenSecrets: { session: undefined, access: undefined } });
    for (const role of ['public-api', 'reconcile', 'worker'] as const) {
      expect(loadConfig({ ...noSecret, ACCESS_TOKEN_SECRET: 'a'.repeat(32) }, role).sealingSecret, role).toBeUndefined();
    }
    // On Lambda nothing stands in for it: not AUTH_SECRET, and never a token secret.
    const { SEALING_SECRET: _k, ...unsealed } = lambda;
    expect(errorOf(unsealed, 'notifier')).toMatch(/SEALING_SECRET: required/);
    expect(errorOf(unsealed, 'api')).toMatch(/SEALING_SECRET: required/);
    expect(errorOf(unsealed, 'checker')).toMatch(/SEALING_SECRET: required/);
    expect(errorOf({ ...noSecret, SESSION_SECRET: sealing }, 'api')).toMatch(/SEALING_SECRET: must not be a token secret/);
    // Off Lambda AUTH_SECRET stands in, as it does for the token secrets.
    expect(loadConfig(base, 'notifier').sealingSecret).toBe(base.AUTH_SECRET);
  });

  it('names each bad variable', () => {
    expect(errorOf({ ...base, AUTH_SECRET: 'short' })).toMatch(/AUTH_SECRET: must be at least 32 bytes/);
    expect(errorOf({ ...base, PORT: 'eighty' })).toMatch(/PORT/);
    expect(errorOf({ ...base, APP_ORIGINS: 'https://app.example.com/path' })).toMatch(/APP_ORIGINS/);
    expect(errorOf({ ...base, DATABASE_URL: 'postgres://x' })).toMatch(/DATABASE_URL/);
    expect(errorOf({ ...base, SCHEDULER: 'cron' })).toMatch(/SCHEDULER/);
    expect(errorOf({ ...base, CHECK_MODE: 'batch' })).toMatch(/CHECK_MODE: must be one of per-monitor, fan-out/);
    expect(errorOf({ ...base, CHECK_MODE: 'fan-out', FANOUT_SHARD_SIZE: '0' })).toMatch(/FANOUT_SHARD_SIZE/);
  });

  it('checks per monitor unless CHECK_MODE says fan-out, with shards of 1,000 by default', () => {
    expect(loadConfig(base).checks).toEqual({ mode: 'per-monitor' });
    expect(loadConfig({ ...base, CHECK_MODE: 'fan-out' }).checks).toEqual({ mode: 'fan-out', shardSize: 1000 });
    expect(loadConfig({ ...lambda, CHECK_MODE: 'fan-out', FANOUT_SHARD_SIZE: '500' }).checks).toEqual({ mode: 'fan-out', shardSize: 500 });
  });

  it('on Lambda: requires EventBridge and a remote database, ignores ALLOW_PRIVATE_TARGETS', () => {
    expect(errorOf({ ...lambda, SCHEDULER: 'local' })).toMatch(/SCHEDULER: must be eventbridge/);
    expect(errorOf({ ...lambda, DATABASE_URL: 'file:./x.db' })).toMatch(/DATABASE_URL/);
    expect(errorOf({ ...lambda, CHECKER_FUNCTION_ARN: '' })).toMatch(/CHECKER_FUNCTION_ARN/);
    const config = loadConfig({ ...lambda, ALLOW_PRIVATE_TARGETS: 'true' });
    expect(config.allowPrivateTargets).toBe(false);
    expect(config.scheduler).toMatchObject({ kind: 'eventbridge', checkerArn: lambda.CHECKER_FUNCTION_ARN });
  });

  it('workers start without AUTH_SECRET and without the schedule-target ARNs', () => {
    const { AUTH_SECRET: _s, CHECKER_FUNCTION_ARN: _c, SCHEDULER_ROLE_ARN: _r, ...worker } = lambda;
    const config = loadConfig(worker, 'worker');
    expect(config.tokenSecrets).toEqual({ session: undefined, access: undefined });
  });

  it('each role is asked for exactly what it uses', () => {
    const { AUTH_SECRET: _s, CHECKER_FUNCTION_ARN: _c, SCHEDULER_ROLE_ARN: _r, ...bare } = lambda;
    // The public API verifies tokens but never schedules; reconcile schedules but never sees a credential.
    expect(errorOf(bare, 'public-api')).toMatch(/ACCESS_TOKEN_SECRET/);
    expect(errorOf(bare, 'public-api')).not.toMatch(/CHECKER_FUNCTION_ARN/);
    expect(errorOf(bare, 'reconcile')).toMatch(/CHECKER_FUNCTION_ARN/);
    expect(errorOf(bare, 'reconcile')).not.toMatch(/AUTH_SECRET/);
    expect(loadConfig({ ...bare, AUTH_SECRET: lambda.AUTH_SECRET }, 'public-api').tokenSecrets).toEqual({ session: undefined, access: lambda.AUTH_SECRET });
  });

  it('reads CHECK_REGIONS home first, defaults to the Lambda region or local, and asks the checker on Lambda for its probe function', () => {
    expect(loadConfig({ ...base, CHECK_REGIONS: 'eu-west-1, us-east-1,eu-west-1' }).regions).toEqual({ home: 'eu-west-1', all: ['eu-west-1', 'us-east-1'], probeFunctionName: undefined });
    expect(loadConfig(base).regions.all).toEqual(['local']);
    expect(loadConfig({ ...lambda, AWS_REGION: 'ap-southeast-1' }).regions.all).toEqual(['ap-southeast-1']);
    expect(errorOf({ ...base, CHECK_REGIONS: 'eu-west-1,Mars North' })).toMatch(/CHECK_REGIONS.*look like eu-west-1/);
    expect(errorOf({ ...lambda, CHECK_REGIONS: 'eu-west-1,us-east-1' }, 'checker')).toMatch(/PROBE_FUNCTION_NAME: required/);
    expect(loadConfig({ ...lambda, CHECK_REGIONS: 'eu-west-1,us-east-1', PROBE_FUNCTION_NAME: 'vigil-probe-prod-probe' }, 'checker').regions.probeFunctionName).toBe('vigil-probe-prod-probe');
  });

  it('parses APP_ORIGINS and defaults', () => {
    const config = loadConfig({ ...base, APP_ORIGINS: 'https://app.example.com, https://admin.example.com' });
    expect(config.appOrigins).toEqual(['https://app.example.com', 'https://admin.example.com']);
    expect(config).toMatchObject({ port: 3000, scheduler: { kind: 'local' }, allowPrivateTargets: false });
  });
});
