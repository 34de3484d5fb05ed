import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll } from 'vitest';
import { EventBridgeScheduler } from '../../src/scheduler/eventbridge.js';
import { lambdaCheckerInvoker } from '../../src/scheduler/invoke-checker.js';
import { startTestApp, type TestApp, type TestAppOptions } from './harness.js';

export const SETTINGS = {
  group: 'vigil-test',
  checkerArn: 'arn:aws:lambda:eu-west-1:123456789012:function:vigil-test-checker',
  roleArn: 'arn:aws:iam::123456789012:role/vigil-test-scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:vigil-test-schedule-dlq',
};

type Op = 'create' | 'update' | 'delete' | 'get' | 'list' | 'invoke';

/**
 * AWS faked at the SDK boundary: the mocked clients keep the schedules of one group in a map, as
 * EventBridge Scheduler would, and can be told to fail an operation.
 */
export function fakeEventBridge() {
  const schedulerMock = mockClient(SchedulerClient);
  const lambdaMock = mockClient(LambdaClient);
  const store = new Map<string, CreateScheduleCommandInput>();
  const failing = new Set<Op>();
  /** Fails an operation with a particular AWS error (a 500, a timeout…) instead of throttling. */
  const failWith = new Map<Op, () => Error>();
  const invoked: string[] = [];
  const fail = (op: Op) => {
    const custom = failWith.get(op);
    if (custom) throw custom();
    if (failing.has(op)) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
  };
  const notFound = () => new ResourceNotFoundException({ message: 'Schedule not found', Message: 'Schedule not found', $metadata: {} });

  schedulerMock.on(CreateScheduleCommand).callsFake((input: CreateScheduleCommandInput) => {
    fail('create');
    if (store.has(input.Name!)) throw new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} });
    store.set(input.Name!, input);
    return { ScheduleArn: `arn:aws:scheduler:::schedule/${input.GroupName}/${input.Name}` };
  });
  schedulerMock.on(UpdateScheduleCommand).callsFake((input: CreateScheduleCommandInput) => {
    fail('update');
    if (!store.has(input.Name!)) throw notFound();
    store.set(input.Name!, input);
    return {};
  });
  schedulerMock.on(DeleteScheduleCommand).callsFake((input: { Name: string }) => {
    fail('delete');
    if (!store.delete(input.Name)) throw notFound();
    return {};
  });
  schedulerMock.on(GetScheduleCommand).callsFake((input: { Name: string }) => {
    fail('get');
    const s = store.get(input.Name);
    if (!s) throw notFound();
    return { Name: s.Name, GroupName: s.GroupName, ScheduleExpression: s.ScheduleExpression, State: s.State };
  });
  // As the API does: names filtered by NamePrefix, pages of at most MaxResults, a NextToken between them.
  schedulerMock.on(ListSchedulesCommand).callsFake((input: { NamePrefix?: string; NextToken?: string; MaxResults?: number }) => {
    fail('list');
    const matching = [...store.values()].filter((s) => s.Name!.startsWith(input.NamePrefix ?? ''));
    const from = Number(input.NextToken ?? 0);
    const to = from + (input.MaxResults ?? 100);
    return {
      Schedules: matching.slice(from, to).map((s) => ({ Name: s.Name, GroupName: s.GroupName, State: s.State })),
      NextToken: to < matching.length ? String(to) : undefined,
    };
  });
  lambdaMock.on(InvokeCommand).callsFake((input: { Payload: Uint8Array }) => {
    fail('invoke');
    invoked.push(JSON.parse(Buffer.from(input.Payload).toString()).monitorId);
    return { StatusCode: 202 };
  });

  const scheduler = new EventBridgeScheduler(
    new SchedulerClient({ region: 'eu-west-1' }),
    SETTINGS,
    lambdaCheckerInvoker(new LambdaClient({ region: 'eu-west-1' }), SETTINGS.checkerArn),
  );
  return {
    scheduler,
    schedulerMock,
    lambdaMock,
    store,
    invoked,
    failing,
    failWith,
    restore() {
      schedulerMock.restore();
      lambdaMock.restore();
    },
  };
}

/** An app whose scheduler talks to AWS faked at the SDK boundary (with `opts`: a movable clock, say), for the enclosing describe or file. */
export function appWithFakeAws(opts: Omit<TestAppOptions, 'scheduler'> = {}) {
  const env = {} as { aws: ReturnType<typeof fakeEventBridge>; t: TestApp };
  beforeAll(async () => {
    env.aws = fakeEventBridge();
    env.t = await startTestApp({ ...opts, scheduler: env.aws.scheduler });
  });
  afterAll(async () => {
    await env.t.close();
    env.aws.restore();
  });
  return env;
}
