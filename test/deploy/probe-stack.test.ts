import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The probe stack (serverless.probe.yml), packaged offline as CI packages it for each check region:
 * one lean function whose role writes its own logs and nothing else, with no environment at all —
 * no database address, no secret, not even a secret's ARN — and a bundle that probes and answers.
 */
const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const STAGE = 'ci';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
let out: string;
let resources: Record<string, { Type: string; Properties: Record<string, Loose> }>;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'vigil-probe-sls-'));
  const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', SLS_TELEMETRY_DISABLED: '1' };
  await run(join(root, 'node_modules/.bin/serverless'), ['package', '--config', 'serverless.probe.yml', '--stage', STAGE, '--region', 'us-east-1', '--package', out], {
    cwd: root,
    env,
    timeout: 240_000,
  });
  resources = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')).Resources;
}, 300_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const byType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('the probe stack', () => {
  it('has one function, named as the checker invokes it, with its own role', () => {
    const functions = byType('AWS::Lambda::Function');
    expect(functions.map(([id]) => id)).toEqual(['ProbeLambdaFunction']);
    const probe = functions[0]![1].Properties;
    expect(probe.FunctionName).toBe(`vigil-probe-${STAGE}-probe`);
    expect(probe.Role).toEqual({ 'Fn::GetAtt': ['ProbeRole', 'Arn'] });
    expect(probe.ReservedConcurrentExecutions).toBe(100);
  });

  it('gives the probe no database and no secret: no environment at all, and a role that may only write its logs', () => {
    const probe = resources.ProbeLambdaFunction!.Properties;
    expect(probe.Environment?.Variables ?? {}).toEqual({});
    const text = JSON.stringify(resources);
    for (const word of ['secretsmanager', 'DATABASE', 'ssm:', 'SEALING', 'sqs:', 'scheduler:', 'lambda:InvokeFunction']) expect(text, word).not.toContain(word);
    const roles = byType('AWS::IAM::Role');
    expect(roles.map(([id]) => id)).toEqual(['ProbeRole']);
    const role = roles[0]![1].Properties;
    expect(role.PermissionsBoundary).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/vigil-workload-boundary' });
    const statements = role.Policies.flatMap((p: Loose) => p.PolicyDocument.Statement);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [{ 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/vigil-probe-${STAGE}-probe:*` }],
      },
    ]);
  });

  it('ships a small bundle that runs a probe and refuses a private target, with no database client or AWS SDK in it', async () => {
    const zip = join(out, 'probe.zip');
    expect(statSync(zip).size).toBeLessThan(150_000);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-probe-'));
    try {
      await run('python3', ['-m', 'zipfile', '-e', zip, dir]);
      const files = readdirSync(dir, { recursive: true }) as string[];
      const code = files.filter((f) => f.endsWith('.mjs')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
      for (const marker of ['libsql', 'drizzle', '@aws-sdk', 'Client({', 'argon2']) expect(code, marker).not.toContain(marker);
      const script = `
        const { handler } = await import(process.argv[1]);
        const r = await handler({ kind: 'http', degradedAboveMs: null, target: { url: 'http://127.0.0.1:9/', method: 'GET', timeoutMs: 1000, expectedStatusCodes: '200-399', keyword: null } });
        let bad = null;
        try { await handler({ kind: 'http', target: { url: 'x' }, extra: 1 }); } catch (e) { bad = e.message; }
        console.log(JSON.stringify({ r, bad }));`;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, join(dir, 'src/entry/lambda/probe/index.mjs')], {
        cwd: dir,
        timeout: 30_000,
        env: { PATH: process.env.PATH, AWS_LAMBDA_FUNCTION_NAME: `vigil-probe-${STAGE}-probe`, AWS_REGION: 'us-east-1' },
      });
      const { r, bad } = JSON.parse(stdout.trim().split('\n').pop()!) as { r: Record<string, unknown>; bad: string };
      expect(r).toMatchObject({ ok: false, statusCode: null, reason: 'blocked: private address 127.0.0.1' });
      expect(bad).toBe('bad probe request');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
