import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaEnv } from '../support/lambda-env.js';

/**
 * `serverless package` runs here as CI runs it, offline (no AWS credentials), and the test reads
 * what a deploy would ship: the CloudFormation template and each function's zip.
 */
const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const STAGE = 'ci';
const FUNCTIONS = ['internalApi', 'publicApi', 'apiDocs', 'statusPages', 'checker', 'reconcile', 'prune', 'notifier', 'notifySweep', 'ping'] as const;

/**
 * Zip sizes: the APIs within 600 KB and the workers within 400 KB, because what a
 * function ships it downloads, unpacks and (for code) parses at every cold start
 * (bench/RESULTS.md §2). Each entry composes only its own adapters (src/compose.ts), the workers
 * parse their environment with zod/mini, and no zip carries source maps. Two functions are over,
 * for a reason each: the internal API carries Argon2id's native binary (366 KB zipped) and the
 * common-password list (~210 KB zipped), both for sign-up and sign-in and both loaded on first use,
 * not at cold start (bench/RESULTS.md, findings); the docs function carries Swagger UI's assets,
 * which ride in no API's cold start.
 */
const KB = 1000;
const BUDGET_BYTES: Record<(typeof FUNCTIONS)[number], number> = {
  internalApi: 1100 * KB,
  publicApi: 600 * KB,
  apiDocs: 700 * KB,
  statusPages: 400 * KB,
  checker: 400 * KB,
  reconcile: 400 * KB,
  prune: 400 * KB,
  notifier: 400 * KB,
  notifySweep: 400 * KB,
  ping: 400 * KB,
};

// CloudFormation JSON, read loosely: the assertions below pin the shapes that matter.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Resource = { Type: string; Properties: Record<string, Loose>; DependsOn?: string | string[] };
let out: string;
let resources: Record<string, Resource>;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'vigil-sls-'));
  // No AWS credentials at all: packaging must not need them.
  const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', SLS_TELEMETRY_DISABLED: '1' };
  await run(join(root, 'node_modules/.bin/serverless'), ['package', '--stage', STAGE, '--package', out], { cwd: root, env, timeout: 240_000 });
  resources = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')).Resources;
}, 300_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const fn = (name: string) => resources[`${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction`]!;
const env = (name: string): Record<string, unknown> => fn(name).Properties.Environment?.Variables ?? {};
const statementsOf = (role: string): { Action: string | string[]; Resource: unknown; NotResource?: unknown; Condition?: unknown }[] =>
  resources[role]!.Properties.Policies.flatMap((p: Loose) => p.PolicyDocument.Statement);
const actions = (s: { Action: string | string[] }) => [s.Action].flat();
const getAtt = (logicalId: string, attr = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attr] });
/** The one address of the app and the API: the distribution's own name unless a domain is configured (none here). */
const WEB_URL = { 'Fn::If': ['HasWebDomain', 'https://', { 'Fn::Join': ['', ['https://', getAtt('WebDistribution', 'DomainName')]] }] };

describe('the CloudFormation template', () => {
  it('has the ten functions, each with its own role, on the declared runtime and architecture', () => {
    for (const name of FUNCTIONS) {
      const p = fn(name).Properties;
      expect(p.Runtime, name).toBe('nodejs22.x');
      expect(p.Architectures, name).toEqual(['x86_64']);
      expect(p.Role, name).toEqual(getAtt(`${name[0]!.toUpperCase()}${name.slice(1)}Role`));
    }
    // osls's shared role is not created: nothing can inherit another function's rights.
    expect(resources.IamRoleLambdaExecution).toBeUndefined();
    // The checker's timeout covers two 30 s probes and the confirmation delay.
    expect(fn('checker').Properties.Timeout).toBeGreaterThanOrEqual(2 * 30 + 3);
  });

  it('routes the HTTP API to the right function, with CORS for the SPA and credentials', () => {
    const routes = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => {
        const integration = r.Properties.Target['Fn::Join'][1][1].Ref as string;
        return `${r.Properties.RouteKey} -> ${resources[integration]!.Properties.IntegrationUri['Fn::GetAtt'][0]}`;
      })
      .sort();
    expect(routes).toEqual([
      'ANY /api/v1/{proxy+} -> PublicApiLambdaFunction',
      'ANY /internal/{proxy+} -> InternalApiLambdaFunction',
      'ANY /ping/{proxy+} -> PingLambdaFunction',
      'ANY /status/{proxy+} -> StatusPagesLambdaFunction',
      'GET /api/v1/docs -> ApiDocsLambdaFunction',
      'GET /api/v1/docs/{asset} -> ApiDocsLambdaFunction',
      'GET /api/v1/openapi.json -> ApiDocsLambdaFunction',
      'GET /healthz -> InternalApiLambdaFunction',
      'POST /auth/{proxy+} -> InternalApiLambdaFunction',
      'POST /oauth/token -> PublicApiLambdaFunction',
    ]);
    // The browser calls the API on the app's own origin (CloudFront, below): no CORS to open.
    expect(resources.HttpApi!.Properties.CorsConfiguration).toBeUndefined();
    const daily = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule').map((r) => r.Properties.Targets[0].Arn['Fn::GetAtt'][0]).sort();
    expect(daily).toEqual(['NotifySweepLambdaFunction', 'PruneLambdaFunction', 'ReconcileLambdaFunction']);
  });

  it('has the schedule group, and a scheduler role only its schedules can assume', () => {
    expect(resources.MonitorScheduleGroup).toMatchObject({ Type: 'AWS::Scheduler::ScheduleGroup', Properties: { Name: `vigil-${STAGE}-monitors` } });
    const trust = resources.SchedulerInvokeRole!.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnEquals: { 'aws:SourceArn': getAtt('MonitorScheduleGroup') },
        },
      },
    ]);
    // It may invoke the checker, and deliver what it could not invoke to the dead-letter queue.
    expect(statementsOf('SchedulerInvokeRole')).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [getAtt('CheckerLambdaFunction')] },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: [getAtt('ScheduleDeadLetterQueue')] },
    ]);
    expect(resources.ScheduleDeadLetterQueue!.Type).toBe('AWS::SQS::Queue');
  });

  it('scopes every scheduler, PassRole and invoke right to this group, this role and the checker', () => {
    const groupSchedules = { 'Fn::Sub': 'arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/${MonitorScheduleGroup}/*' };
    const rights = (role: string) =>
      statementsOf(role)
        // Logs and secrets are checked on their own, below.
        .filter((s) => !actions(s).every((a) => a.startsWith('logs:') || a.startsWith('secretsmanager:')))
        .map((s) => ({ actions: actions(s).sort(), resource: s.Resource, condition: s.Condition, notResource: s.NotResource }));
    const crud = ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule'];
    const passRole = { actions: ['iam:PassRole'], resource: [getAtt('SchedulerInvokeRole')], condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } };

    const enqueue = { actions: ['sqs:SendMessage'], resource: [getAtt('NotifyQueue')], condition: undefined };
    const sendMail = {
      actions: ['ses:SendEmail'],
      resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/vigil.example' }],
      condition: undefined,
    };
    // SMS: Publish to a phone number only, never to any topic (a number has no ARN to name).
    const sendSms = { actions: ['sns:Publish'], resource: undefined, condition: undefined, notResource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:sns:*:*:*' }] };
    expect(rights('InternalApiRole')).toEqual([
      { actions: crud, resource: [groupSchedules], condition: undefined },
      passRole,
      { actions: ['lambda:InvokeFunction'], resource: [getAtt('CheckerLambdaFunction')], condition: undefined },
      enqueue,
      sendMail,
      sendSms,
    ]);
    // The notifier consumes its queue and may send email only as the service's identity.
    expect(rights('NotifierRole')).toEqual([
      { actions: ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], resource: [getAtt('NotifyQueue')], condition: undefined },
      sendMail,
      sendSms,
    ]);
    expect(rights('NotifySweepRole')).toEqual([enqueue]);
    expect(rights('PublicApiRole')).toEqual([]);
    expect(rights('ApiDocsRole')).toEqual([]);
    // The status pages read the database (outside AWS): no scheduler, Lambda, SQS or secrets rights.
    expect(rights('StatusPagesRole')).toEqual([]);
    expect(rights('PruneRole')).toEqual([]);
    // The heartbeat pings write the database (outside AWS) and wake the notifier after a transition.
    expect(rights('PingRole')).toEqual([enqueue]);
    // The checker can only remove a schedule that outlived its monitor, wake the notifier, and invoke
    // the probe function of its stage in the other check regions (serverless.probe.yml), no other.
    const invokeProbes = {
      actions: ['lambda:InvokeFunction'],
      resource: [{ 'Fn::Sub': `arn:\${AWS::Partition}:lambda:*:\${AWS::AccountId}:function:vigil-probe-${STAGE}-probe` }],
      condition: undefined,
    };
    expect(rights('CheckerRole')).toEqual([{ actions: ['scheduler:DeleteSchedule'], resource: [groupSchedules], condition: undefined }, enqueue, invokeProbes]);
    const mayInvokeProbes = FUNCTIONS.filter((n) => JSON.stringify(statementsOf(`${n[0]!.toUpperCase()}${n.slice(1)}Role`)).includes('vigil-probe-'));
    expect(mayInvokeProbes).toEqual(['checker']);
    // ListSchedules has no resource-level permissions; only reconcile holds it.
    expect(rights('ReconcileRole')).toEqual([
      { actions: crud, resource: [groupSchedules], condition: undefined },
      { actions: ['scheduler:ListSchedules'], resource: '*', condition: undefined },
      passRole,
    ]);
    for (const name of FUNCTIONS) {
      const logs = statementsOf(`${name[0]!.toUpperCase()}${name.slice(1)}Role`).find((s) => actions(s).includes('logs:PutLogEvents'));
      expect(JSON.stringify(logs?.Resource), name).toContain(`log-group:/aws/lambda/vigil-${STAGE}-${name}:*`);
    }
  });

  it('wires each function with exactly what it needs; no environment holds a secret, only its ARN (finding 9)', () => {
    const databaseSecret = { 'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:vigil/${STAGE}` };
    const readOnlyDatabaseSecret = { 'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:vigil/${STAGE}/database-read-token` };
    for (const name of FUNCTIONS) {
      const e = env(name);
      // Per-monitor schedules unless the stage's checkMode says fan-out (ADR 0015).
      expect(e, name).toMatchObject({ NODE_ENV: 'production', SCHEDULER: 'eventbridge', SCHEDULE_GROUP: `vigil-${STAGE}-monitors`, CHECK_MODE: 'per-monitor' });
      expect(e.DATABASE_URL, name).toMatch(/^\{\{resolve:ssm:/);
      // The status pages only read: their token is the read-only one; every other function writes.
      expect(e.DATABASE_AUTH_TOKEN_ARN, name).toEqual(name === 'statusPages' ? readOnlyDatabaseSecret : databaseSecret);
      // Neither a value nor a CloudFormation dynamic reference that would resolve into one.
      for (const key of ['AUTH_SECRET', 'SESSION_SECRET', 'ACCESS_TOKEN_SECRET', 'SEALING_SECRET', 'DATABASE_AUTH_TOKEN']) expect(e, `${name} ${key}`).not.toHaveProperty(key);
      expect(JSON.stringify(e), name).not.toMatch(/resolve:secretsmanager/);
    }
    const targets = { CHECKER_FUNCTION_ARN: getAtt('CheckerLambdaFunction'), SCHEDULER_ROLE_ARN: getAtt('SchedulerInvokeRole'), SCHEDULE_DLQ_ARN: getAtt('ScheduleDeadLetterQueue') };
    expect(env('internalApi')).toMatchObject({ ...targets, APP_ORIGINS: WEB_URL, APP_URL: WEB_URL, PUBLIC_BASE_URL: WEB_URL });
    expect(env('reconcile')).toMatchObject(targets);
    expect(env('publicApi').PUBLIC_BASE_URL).toEqual(env('internalApi').PUBLIC_BASE_URL);
    // Split keys: the internal API names only the session secret, the public API only the access-token secret.
    expect(env('internalApi').SESSION_SECRET_ARN).toEqual({ Ref: 'SessionSecret' });
    expect(env('publicApi').ACCESS_TOKEN_SECRET_ARN).toEqual({ Ref: 'AccessTokenSecret' });
    expect(FUNCTIONS.filter((n) => 'SESSION_SECRET_ARN' in env(n))).toEqual(['internalApi']);
    expect(FUNCTIONS.filter((n) => 'ACCESS_TOKEN_SECRET_ARN' in env(n))).toEqual(['publicApi']);
    // One secret box, under a secret of its own: the internal API seals webhook signing secrets and
    // monitor credentials; the notifier opens the former, the checker the latter.
    expect(FUNCTIONS.filter((n) => 'SEALING_SECRET_ARN' in env(n))).toEqual(['internalApi', 'checker', 'notifier']);
    for (const name of ['internalApi', 'checker', 'notifier']) expect(env(name).SEALING_SECRET_ARN, name).toEqual({ Ref: 'SealingSecret' });
    // …and each that opens also holds a rotation's older secrets, or a rotation would make every sealed value unreadable.
    expect(FUNCTIONS.filter((n) => 'SEALING_SECRET_PREVIOUS_ARN' in env(n))).toEqual(['internalApi', 'checker', 'notifier']);
    for (const name of ['internalApi', 'checker', 'notifier']) expect(env(name).SEALING_SECRET_PREVIOUS_ARN, name).toEqual({ Ref: 'SealingSecretPrevious' });
    // The checker cannot name its own ARN (a template cycle).
    expect(Object.keys(env('checker')).sort()).toEqual([
      'CHECK_MODE', 'CHECK_REGIONS', 'DATABASE_AUTH_TOKEN_ARN', 'DATABASE_URL', 'NODE_ENV', 'NOTIFY_QUEUE_URL', 'PROBE_FUNCTION_NAME', 'SCHEDULER', 'SCHEDULE_GROUP', 'SEALING_SECRET_ARN', 'SEALING_SECRET_PREVIOUS_ARN',
    ]);
    expect(env('checker').PROBE_FUNCTION_NAME).toBe(`vigil-probe-${STAGE}-probe`);
    // The ping function: the database and the notify queue, no secret of its own.
    expect(Object.keys(env('ping')).sort()).toEqual(['CHECK_MODE', 'DATABASE_AUTH_TOKEN_ARN', 'DATABASE_URL', 'NODE_ENV', 'NOTIFY_QUEUE_URL', 'SCHEDULER', 'SCHEDULE_GROUP']);
    for (const name of ['checker', 'internalApi', 'notifySweep', 'ping']) expect(env(name).NOTIFY_QUEUE_URL, name).toEqual({ Ref: 'NotifyQueue' });
    // The notifier: the sealing secret and the mail settings, no token secret and no queue to send to.
    expect(Object.keys(env('notifier')).sort()).toEqual([
      'APP_URL', 'CHECK_MODE', 'DATABASE_AUTH_TOKEN_ARN', 'DATABASE_URL', 'MAIL_FROM', 'NODE_ENV', 'SCHEDULER', 'SCHEDULE_GROUP', 'SEALING_SECRET_ARN', 'SEALING_SECRET_PREVIOUS_ARN',
    ]);
    expect(env('notifier')).toMatchObject({ APP_URL: WEB_URL, MAIL_FROM: 'Vigil <alerts@vigil.example>' });
    expect(Object.keys(env('notifySweep')).sort()).toEqual(['CHECK_MODE', 'DATABASE_AUTH_TOKEN_ARN', 'DATABASE_URL', 'NODE_ENV', 'NOTIFY_QUEUE_URL', 'SCHEDULER', 'SCHEDULE_GROUP']);
  });

  it('feeds the notifier from the notify queue with partial batch responses, a visibility longer than its timeout, and a DLQ', () => {
    const queue = resources.NotifyQueue!.Properties;
    expect(queue.VisibilityTimeout).toBeGreaterThan(fn('notifier').Properties.Timeout);
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: getAtt('NotifyDeadLetterQueue'), maxReceiveCount: 5 });
    expect(resources.NotifyDeadLetterQueue!.Type).toBe('AWS::SQS::Queue');
    const mappings = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({
      EventSourceArn: getAtt('NotifyQueue'),
      FunctionName: getAtt('NotifierLambdaFunction'),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const sweep = Object.values(resources).find((r) => r.Type === 'AWS::Events::Rule' && r.Properties.Targets[0].Arn['Fn::GetAtt'][0] === 'NotifySweepLambdaFunction');
    expect(sweep!.Properties.ScheduleExpression).toBe('rate(1 minute)');
  });

  it('lets each function read exactly its own secrets; the public API cannot read the session secret', () => {
    const databaseSecret = { 'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:vigil/${STAGE}-??????` };
    const readOnlyDatabaseSecret = { 'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:vigil/${STAGE}/database-read-token-??????` };
    const sealing = [{ Ref: 'SealingSecret' }, { Ref: 'SealingSecretPrevious' }];
    const readable = (role: string) => statementsOf(role).filter((s) => actions(s).some((a) => a.startsWith('secretsmanager:')));
    const expected: Record<(typeof FUNCTIONS)[number], unknown[]> = {
      internalApi: [{ Ref: 'SessionSecret' }, ...sealing, databaseSecret],
      publicApi: [{ Ref: 'AccessTokenSecret' }, databaseSecret],
      // Static files: no secret at all (it never reads its environment's database token name).
      apiDocs: [],
      // The sealing secrets open monitor credentials; never a token secret.
      checker: [...sealing, databaseSecret],
      reconcile: [databaseSecret],
      prune: [databaseSecret],
      // The read-only database token, and not the read-write one.
      statusPages: [readOnlyDatabaseSecret],
      // The sealing secret, never a token secret: the notifier cannot mint or read a session.
      notifier: [...sealing, databaseSecret],
      notifySweep: [databaseSecret],
      ping: [databaseSecret],
    };
    for (const name of FUNCTIONS) {
      const statements = readable(`${name[0]!.toUpperCase()}${name.slice(1)}Role`);
      if (expected[name].length === 0) {
        expect(statements, name).toEqual([]);
        continue;
      }
      expect(statements.map(actions), name).toEqual([['secretsmanager:GetSecretValue']]);
      expect(statements[0]!.Resource, name).toEqual(expected[name]);
    }
    for (const id of ['SessionSecret', 'AccessTokenSecret', 'SealingSecret', 'SealingSecretPrevious']) {
      expect(resources[id], id).toMatchObject({ Type: 'AWS::SecretsManager::Secret', Properties: { GenerateSecretString: { PasswordLength: 64 } } });
      expect(resources[id]!.Properties.SecretString, id).toBeUndefined();
    }
  });

  it('caps the checker with reserved concurrency and throttles the HTTP API per route (finding 6)', () => {
    expect(fn('checker').Properties.ReservedConcurrentExecutions).toBe(100);
    const stage = Object.values(resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage')!;
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 });
    for (const route of ['POST /auth/{proxy+}', 'POST /oauth/token']) {
      expect(stage.Properties.RouteSettings[route], route).toEqual({ ThrottlingBurstLimit: 20, ThrottlingRateLimit: 10 });
    }
  });

  it('puts every role under the workload boundary, which the documented deploy role cannot escape (finding 9)', () => {
    const boundary = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/vigil-workload-boundary' };
    const roles = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
    // One role per function, plus the role EventBridge Scheduler assumes to invoke the checker.
    expect(roles.length).toBe(FUNCTIONS.length + 1);
    for (const [id, r] of roles) expect(r.Properties.PermissionsBoundary, id).toEqual(boundary);
    // The deploy role (docs/DEPLOY.md) may create or change a role only with that boundary, and never attach admin policies.
    const deployRole = JSON.parse(readFileSync(join(root, 'deploy/iam/deploy-role-policy.json'), 'utf8')) as { Statement: Loose[] };
    const granting = (action: string) => deployRole.Statement.filter((st) => st.Effect === 'Allow' && [st.Action].flat().some((a: string) => a === action || a === 'iam:*' || a === '*'));
    for (const action of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy']) {
      expect(granting(action).length, action).toBeGreaterThan(0);
      for (const st of granting(action)) expect(st.Condition?.StringEquals?.['iam:PermissionsBoundary'], action).toMatch(/policy\/vigil-workload-boundary$/);
    }
    const denyAdmin = deployRole.Statement.find((st) => st.Effect === 'Deny' && [st.Action].flat().includes('iam:AttachRolePolicy'));
    expect(denyAdmin.Condition.ArnLike['iam:PolicyARN']).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(deployRole.Statement.find((st) => st.Effect === 'Deny' && [st.Action].flat().includes('iam:DeleteRolePermissionsBoundary'))).toBeDefined();
    // The boundary grants no IAM but PassRole, so nothing under it can create a role either.
    const ceiling = JSON.parse(readFileSync(join(root, 'deploy/iam/workload-boundary.json'), 'utf8')) as { Statement: Loose[] };
    expect(ceiling.Statement.flatMap((st) => [st.Action].flat()).filter((a: string) => a.startsWith('iam:'))).toEqual(['iam:PassRole']);
    // …and it allows every action a role of the stack holds (a right outside it would be silently denied on AWS).
    const allowed = new Set(ceiling.Statement.flatMap((st) => [st.Action].flat()));
    for (const [id] of roles) {
      for (const action of statementsOf(id).flatMap(actions)) expect(allowed.has(action), `${id} ${action}`).toBe(true);
    }
    // Logs, queues and secrets only of the stack (finding 11): no Allow on `*` but the few actions that
    // have no resource to name (or, for the queue triggers, are held to the stack's functions by a condition).
    const onAnything = deployRole.Statement.filter((st) => st.Effect === 'Allow' && [st.Resource].flat().some((r: string) => r === '*' || /^arn:aws:[a-z0-9-]+:\*?:(\*|ACCOUNT_ID):\*$/.test(r)));
    // (CloudFront distributions are named by generated ids only: the account's, documented in docs/DEPLOY.md.)
    expect(onAnything.flatMap((st) => [st.Action].flat()).sort()).toEqual([
      'cloudformation:ValidateTemplate', 'cloudfront:*',
      'lambda:CreateEventSourceMapping', 'lambda:DeleteEventSourceMapping', 'lambda:GetEventSourceMapping', 'lambda:ListEventSourceMappings', 'lambda:UpdateEventSourceMapping',
      'secretsmanager:GetRandomPassword',
    ]);
    const scopedTo = (prefix: string): { action: string; arns: string[] }[] =>
      deployRole.Statement.filter((st) => st.Effect === 'Allow').flatMap((st) =>
        [st.Action].flat().filter((a: string) => a.startsWith(prefix)).map((action: string) => ({ action, arns: [st.Resource].flat() as string[] })),
      );
    for (const { action, arns } of scopedTo('secretsmanager:')) {
      if (action !== 'secretsmanager:GetRandomPassword') expect(arns, action).toEqual(['arn:aws:secretsmanager:*:ACCOUNT_ID:secret:vigil/*']);
    }
    for (const { action, arns } of scopedTo('sqs:')) expect(arns, action).toEqual(['arn:aws:sqs:*:ACCOUNT_ID:vigil-*']);
    for (const { action, arns } of scopedTo('logs:')) {
      const own = action === 'logs:DescribeLogGroups' ? /^arn:aws:logs:\*:ACCOUNT_ID:log-group:\*$/ : /^arn:aws:logs:\*:ACCOUNT_ID:log-group:\/aws\/lambda\/vigil-\*/;
      for (const arn of arns) expect(arn, action).toMatch(own);
    }
    // The notifier's queue trigger: the deploy role may create event source mappings only for the stack's functions.
    const triggers = deployRole.Statement.find((st) => st.Effect === 'Allow' && [st.Action].flat().includes('lambda:CreateEventSourceMapping'));
    expect(triggers.Condition.ArnLike['lambda:FunctionArn']).toMatch(/function:vigil-\*$/);
  });

  it('bounds the checker’s async queue: a run waits at most 2 minutes, is retried once, and late runs are counted', () => {
    const configs = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig');
    expect(configs.map((r) => r.Properties)).toEqual([
      { FunctionName: { Ref: 'CheckerLambdaFunction' }, DestinationConfig: {}, Qualifier: '$LATEST', MaximumEventAgeInSeconds: 120, MaximumRetryAttempts: 1 },
    ]);
    // The checker's own drops (a run later than its interval, src/checker/run.ts) become a metric.
    expect(resources.CheckerLateDroppedMetric).toMatchObject({
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: { Ref: 'CheckerLogGroup' },
        FilterPattern: '{ $.event = "check.late_dropped" }',
        MetricTransformations: [{ MetricNamespace: 'Vigil/Checker', MetricName: 'LateChecksDropped', MetricValue: '1' }],
      },
    });
    // Fan-out mode: the checks a tick dropped, read from its one summary line, and the ticks that came too late.
    expect(resources.CheckerTickDroppedMetric!.Properties).toMatchObject({
      LogGroupName: { Ref: 'CheckerLogGroup' },
      FilterPattern: '{ $.event = "tick.done" && $.dropped > 0 }',
      MetricTransformations: [{ MetricNamespace: 'Vigil/Checker', MetricName: 'LateChecksDropped', MetricValue: '$.dropped' }],
    });
    expect(resources.CheckerLateTickMetric!.Properties.FilterPattern).toBe('{ $.event = "tick.late_dropped" }');
    expect(resources.CheckerLogGroup!.Type).toBe('AWS::Logs::LogGroup');
  });

  it('has no dependency cycle (CloudFormation would refuse it)', () => {
    const refs = (v: unknown, acc = new Set<string>()): Set<string> => {
      if (Array.isArray(v)) v.forEach((x) => refs(x, acc));
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'Ref' && typeof x === 'string') acc.add(x);
          else if (k === 'Fn::GetAtt') acc.add((x as string[])[0]!);
          else if (k === 'Fn::Sub' && typeof x === 'string') for (const m of x.matchAll(/\$\{([A-Za-z0-9]+)[}.]/g)) acc.add(m[1]!);
          else refs(x, acc);
        }
      }
      return acc;
    };
    const deps = new Map(Object.entries(resources).map(([id, r]) => [id, [...refs(r.Properties), ...[r.DependsOn ?? []].flat()].filter((d) => d in resources)]));
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (id: string, path: string[]): void => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'visiting') throw new Error(`cycle: ${[...path, id].join(' -> ')}`);
      state.set(id, 'visiting');
      for (const d of deps.get(id) ?? []) visit(d, [...path, id]);
      state.set(id, 'done');
    };
    expect(() => [...deps.keys()].forEach((id) => visit(id, []))).not.toThrow();
  });
});

describe('the web app and the API behind one CloudFront distribution', () => {
  const API_PREFIXES = ['/internal/*', '/auth/*', '/api/*', '/oauth/*', '/status/*', '/ping/*', '/healthz'];
  const MANAGED = { cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac' };
  const config = () => resources.WebDistribution!.Properties.DistributionConfig;

  it('keeps the app in a private bucket that only this distribution can read, over TLS', () => {
    const bucket = resources.WebAppBucket!.Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.WebsiteConfiguration).toBeUndefined(); // not a public website endpoint
    const policy = resources.WebAppBucketPolicy!.Properties;
    expect(policy.Bucket).toEqual({ Ref: 'WebAppBucket' });
    const [read, tls, ...rest] = policy.PolicyDocument.Statement;
    expect(rest).toEqual([]);
    expect(read).toEqual({
      Sid: 'ReadByThisDistributionOnly',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: { 'Fn::Sub': '${WebAppBucket.Arn}/*' },
      Condition: { StringEquals: { 'AWS:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${WebDistribution}' } } },
    });
    expect(tls).toMatchObject({ Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    // No legacy origin access identity: origin access control (SigV4) on the bucket's origin.
    expect(resources.WebAppOriginAccessControl!.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const app = config().Origins.find((o: Loose) => o.Id === 'app');
    expect(app).toEqual({
      Id: 'app',
      DomainName: getAtt('WebAppBucket', 'RegionalDomainName'),
      OriginAccessControlId: getAtt('WebAppOriginAccessControl', 'Id'),
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);
  });

  it('serves the app by default, index.html for deep links on the app’s behaviour only, never cached at the edge unless the file says so', () => {
    const d = config();
    expect(d).toMatchObject({ Enabled: true, DefaultRootObject: 'index.html' });
    // A distribution-wide error page would replace the API's own 404s: there is none.
    expect(d.CustomErrorResponses).toBeUndefined();
    expect(d.DefaultCacheBehavior).toMatchObject({
      TargetOriginId: 'app',
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: { Ref: 'WebAppCachePolicy' },
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: getAtt('WebAppDeepLinks', 'FunctionARN') }],
    });
    // The origin's Cache-Control decides (immutable assets, no-cache index.html): minimum TTL 0.
    expect(resources.WebAppCachePolicy!.Properties.CachePolicyConfig).toMatchObject({ MinTTL: 0, DefaultTTL: 0, MaxTTL: 31536000 });
    // The function, run as CloudFront would: extension-less paths are the app's routes.
    const fnCode = resources.WebAppDeepLinks!.Properties.FunctionCode as string;
    expect(resources.WebAppDeepLinks!.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    const handler = new Function(`${fnCode}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    const uriFor = (uri: string) => handler({ request: { uri } }).uri;
    expect(uriFor('/')).toBe('/index.html');
    expect(uriFor('/monitors/mon_abc')).toBe('/index.html');
    expect(uriFor('/verify-email')).toBe('/index.html');
    expect(uriFor('/assets/index-3f9a1c.js')).toBe('/assets/index-3f9a1c.js');
    expect(uriFor('/favicon.svg')).toBe('/favicon.svg');
  });

  it('sends every API prefix to the HTTP API, uncached, with every header but Host, cookies and query strings; one origin for both', () => {
    const d = config();
    const api = d.Origins.find((o: Loose) => o.Id === 'api');
    expect(api).toEqual({
      Id: 'api',
      DomainName: { 'Fn::Sub': '${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}' },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    expect(d.Origins).toHaveLength(2);
    expect(d.CacheBehaviors.map((b: Loose) => b.PathPattern)).toEqual(API_PREFIXES);
    for (const b of d.CacheBehaviors) {
      expect(b, b.PathPattern).toMatchObject({
        TargetOriginId: 'api',
        ViewerProtocolPolicy: 'https-only',
        CachePolicyId: MANAGED.cachingDisabled,
        OriginRequestPolicyId: MANAGED.allViewerExceptHostHeader,
      });
      expect([...b.AllowedMethods].sort(), b.PathPattern).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
      expect(b.FunctionAssociations, b.PathPattern).toBeUndefined();
    }
    // Every route the HTTP API serves is reachable through one of those prefixes.
    const routeKeys = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route').map((r) => (r.Properties.RouteKey as string).split(' ')[1]!);
    for (const path of routeKeys) expect(API_PREFIXES.some((p) => (p.endsWith('/*') ? path.startsWith(p.slice(0, -1)) : path === p)), path).toBe(true);
    // The app's origin, the links in emails and the partners' base URL are the distribution's address.
    for (const name of ['internalApi', 'publicApi', 'apiDocs']) expect(env(name).PUBLIC_BASE_URL, name).toEqual(WEB_URL);
    expect(env('publicApi').APP_ORIGINS).toEqual(WEB_URL);
    // Without a configured domain: CloudFront's own certificate and name, no alias.
    expect(d.ViewerCertificate).toEqual({ 'Fn::If': ['HasWebDomain', expect.objectContaining({ SslSupportMethod: 'sni-only' }), { CloudFrontDefaultCertificate: true }] });
    expect(d.Aliases).toEqual({ 'Fn::If': ['HasWebDomain', [''], { Ref: 'AWS::NoValue' }] });
  });

  it('names the bucket and the distribution for the deploy workflow, which uploads the build and invalidates index.html', () => {
    const outputs = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')).Outputs;
    expect(outputs.WebAppBucketName.Value).toEqual({ Ref: 'WebAppBucket' });
    expect(outputs.WebDistributionId.Value).toEqual({ Ref: 'WebDistribution' });
    const workflow = readFileSync(join(root, '.github/workflows/deploy.yml'), 'utf8');
    expect(workflow).toContain('npm run build:web');
    expect(workflow).toMatch(/aws s3 sync web\/dist\/assets "s3:\/\/\$BUCKET\/assets" --cache-control "public, max-age=31536000, immutable"/);
    expect(workflow).toMatch(/aws s3 cp web\/dist\/index.html "s3:\/\/\$BUCKET\/index.html" --cache-control "no-cache"/);
    expect(workflow).toMatch(/aws cloudfront create-invalidation --distribution-id "\$DISTRIBUTION" --paths \/index.html/);
    // The upload comes after the stack (bucket and distribution) exists.
    expect(workflow.indexOf('serverless deploy')).toBeLessThan(workflow.indexOf('aws s3 sync'));
  });
});

describe('the function bundles', () => {
  it('stay within their size budgets', () => {
    const sizes = Object.fromEntries(FUNCTIONS.map((n) => [n, statSync(join(out, `${n}.zip`)).size]));
    console.log('bundle sizes (zip bytes):', sizes);
    for (const n of FUNCTIONS) expect(sizes[n], n).toBeLessThanOrEqual(BUDGET_BYTES[n]);
  });

  it.each(FUNCTIONS)('%s: the zip loads in a fresh Node process as on Lambda, native modules included', async (name) => {
    const dir = mkdtempSync(join(tmpdir(), `vigil-${name}-`));
    try {
      await run('python3', ['-m', 'zipfile', '-e', join(out, `${name}.zip`), dir]);
      const handler = fn(name).Properties.Handler as string;
      const file = join(dir, `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`);
      expect(readdirSync(dir)).not.toContain('test');
      // No native driver on Lambda (libSQL goes over HTTP there): the only native file any bundle
      // may carry is Argon2id's, and only the internal API hashes passwords.
      const native = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.node'));
      if (name === 'internalApi') {
        expect(native.length, name).toBeGreaterThan(0);
        for (const f of native) expect(f, name).toMatch(/argon2/);
      } else {
        expect(native, name).toEqual([]);
      }
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', PROBE, file, name], {
        cwd: dir,
        timeout: 60_000,
        env: lambdaEnv(STAGE, name),
      });
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      expect(result.loaded, name).toBe(true);
      if (name === 'internalApi') {
        // Argon2id's native binary is in the zip and works.
        expect(result.argon2).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
        expect(result.http).toEqual({ status: 401, body: 'sign in required' });
      }
      if (name === 'statusPages') {
        // Answered without the database: the stylesheet, and the one 404 for a malformed address.
        expect(result.css).toEqual({ status: 200, type: 'text/css; charset=utf-8' });
        expect(result.notFound).toMatchObject({ status: 404, type: 'text/html; charset=utf-8' });
        expect((result.notFound as { csp: string }).csp).toContain("default-src 'none'");
        // Lean: none of the other functions' machinery is in the bundle.
        const code = bundleText(dir);
        for (const marker of ['TRPCError', 'SchedulerClient', 'LambdaClient', 'SESv2Client', 'createTransport', 'SignJWT', 'argon2']) {
          expect(code, marker).not.toContain(marker);
        }
      }
      if (name === 'publicApi') {
        expect(result.http).toEqual({ status: 401, body: 'a bearer access token is required; get one at POST /oauth/token' });
      }
      if (name === 'apiDocs') {
        // The committed document with this deployment's address, and Swagger UI from the zip.
        expect(result.openapi).toEqual({ status: 200, server: 'https://api.vigil.example/api/v1' });
        expect(result.assets).toEqual([200, 200]);
      }
      // Each function bundles only the adapters its entry composes (src/compose.ts): every file of
      // the bundle, its entry and the chunks it may load later.
      const code = bundleText(dir);
      const carries = (marker: string) => code.includes(marker);
      expect(carries('createTransport'), `${name}: nodemailer`).toBe(false);
      expect(carries('generateOpenApiDocument'), `${name}: the OpenAPI generator`).toBe(false);
      expect(carries('SESv2Client'), `${name}: SES`).toBe(['internalApi', 'notifier'].includes(name));
      // The internal API invokes the checker; the checker the probes in the other regions.
      expect(carries('LambdaClient'), `${name}: the Lambda client`).toBe(name === 'internalApi' || name === 'checker');
      if (name === 'ping') {
        // A malformed token is refused before the database; the bundle carries no tRPC, scheduler,
        // mail or signing code (of the AWS SDK only Secrets Manager, for the database token, and
        // SQS, loaded on the first transition to wake the notifier).
        expect(result.http).toEqual({ status: 404, body: 'not found\n' });
        expect(result.lean).toBe(true);
        expect(result.wakesNotifier).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

/** The whole code of an unpacked function: its entry and every chunk beside it. */
function bundleText(dir: string): string {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

/** Runs inside the unpacked bundle: imports the handler and, for the APIs, answers one request. */
const PROBE = `
import { createRequire } from 'node:module';
const [file, name] = process.argv.slice(1);
const mod = await import(file);
const out = { loaded: typeof mod.handler === 'function' };
const event = (method, path, headers = {}) => ({
  version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', headers: { host: 'api.vigil.example', ...headers },
  requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'probe' }, domainName: 'api.vigil.example', stage: '$default', requestId: 'r', timeEpoch: Date.now() },
  isBase64Encoded: false,
});
if (name === 'internalApi') {
  const argon2 = createRequire(file)('@node-rs/argon2');
  out.argon2 = await argon2.hash('probe', { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const res = await mod.handler(event('GET', '/internal/auth.me', { origin: 'https://app.vigil.example' }));
  out.http = { status: res.statusCode, body: JSON.parse(res.body).error.message };
}
if (name === 'publicApi') {
  const res = await mod.handler(event('GET', '/api/v1/monitors'));
  out.http = { status: res.statusCode, body: JSON.parse(res.body).message };
}
if (name === 'apiDocs') {
  const doc = await mod.handler(event('GET', '/api/v1/openapi.json'));
  out.openapi = { status: doc.statusCode, server: JSON.parse(doc.body).servers[0].url };
  out.assets = [];
  for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css']) out.assets.push((await mod.handler(event('GET', '/api/v1/docs/' + asset))).statusCode);
}
if (name === 'ping') {
  const res = await mod.handler(event('GET', '/ping/nope'));
  out.http = { status: res.statusCode, body: res.body };
  const { readFileSync, readdirSync } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  const code = readdirSync(dirname(file)).filter((f) => f.endsWith('.mjs')).map((f) => readFileSync(join(dirname(file), f), 'utf8')).join(' ');
  out.lean = ['initTRPC', 'TRPCError', 'SchedulerClient', 'LambdaClient', 'SESv2Client', 'createTransport', 'SignJWT', 'argon2'].every((m) => !code.includes(m));
  out.wakesNotifier = code.includes('SendMessageBatchCommand');
}
if (name === 'statusPages') {
  const page = await mod.handler(event('GET', '/status/NOPE'));
  const css = page.body.match(/href="(\\/status\\/assets\\/[^"]+)"/)[1];
  const sheet = await mod.handler(event('GET', css));
  out.css = { status: sheet.statusCode, type: sheet.headers['content-type'] };
  out.notFound = { status: page.statusCode, type: page.headers['content-type'], csp: page.headers['content-security-policy'] };
}
console.log(JSON.stringify(out));
`;
