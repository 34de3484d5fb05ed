import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { runCheck } from '../../src/checker/run.js';
import { incidents, monitors } from '../../src/db/schema.js';
import { lambdaRegionProbes } from '../../src/probes/lambda-regions.js';
import type { Services } from '../../src/services.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';
import { startTarget } from '../support/target.js';

/**
 * The probes port on AWS, faked at the SDK: the home checker invokes the `probe` function of each
 * other region synchronously with the probe request. A function error, an answer that is not a
 * result, and an invocation past its deadline are each an unknown region, never a down one.
 */
const lambda = mockClient(LambdaClient);
const REGIONS = 'eu-west-1,us-east-1,ap-southeast-1';
let t: TestApp;
let target: Awaited<ReturnType<typeof startTarget>>;
let svc: Services;
const regionOf = new WeakMap<object, string>();

beforeAll(async () => {
  target = await startTarget();
  t = await startTestApp({ env: { CHECK_REGIONS: REGIONS } });
  // The checker Lambda's composition: the Lambda adapter in place of the in-process probes.
  svc = {
    ...t.svc,
    probes: lambdaRegionProbes('vigil-probe-test-probe', async (region) => {
      const client = new LambdaClient({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
      regionOf.set(client, region);
      return client;
    }),
  };
});
afterAll(async () => {
  await t.close();
  await target.close();
});
beforeEach(() => lambda.reset());

const answer = (body: unknown) => ({ StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify(body)) as never });
const upBody = { ok: true, statusCode: 200, responseTimeMs: 85, reason: null, certExpiresAt: null };

async function monitorOfTarget(extra: Record<string, unknown> = {}) {
  const c = await t.signUp();
  await setPlanByEmail(t.svc, c.email, 'team');
  const m = await c.monitors.create.mutate({ name: 'api', url: target.url, paused: true, regions: REGIONS.split(','), ...extra });
  await t.svc.db.update(monitors).set({ paused: false }).where(eq(monitors.id, m.id));
  return { c, m };
}

const invocations = () =>
  lambda.commandCalls(InvokeCommand).map((call) => ({
    region: regionOf.get(call.thisValue as object),
    input: call.args[0].input,
    request: JSON.parse(Buffer.from(call.args[0].input.Payload as Uint8Array).toString('utf8')) as Record<string, unknown>,
  }));

describe('probes in other regions over Lambda', () => {
  it('invokes each other region once, synchronously, with the whole request: credentials opened, never logged', async () => {
    const token = 'bearer-token-for-the-target-7Qx9';
    rememberSecret(token);
    target.always = 200;
    lambda.on(InvokeCommand).resolves(answer(upBody));
    const { c, m } = await monitorOfTarget({ auth: { type: 'bearer', token } });
    const outcome = await runCheck(svc, m.id, { regionDeadlineMs: 2_000 });
    expect(outcome).toMatchObject({ verdict: { status: 'up' } });
    const calls = invocations();
    expect(calls.map((x) => x.region).sort()).toEqual(['ap-southeast-1', 'us-east-1']);
    for (const x of calls) {
      expect(x.input).toMatchObject({ FunctionName: 'vigil-probe-test-probe', InvocationType: 'RequestResponse' });
      expect(x.request).toMatchObject({ kind: 'http', target: { url: target.url, authorization: `Bearer ${token}` } });
    }
    expect(t.logs.join('\n')).not.toContain(token);
    const view = await c.monitors.get.query({ id: m.id });
    expect(view.lastRegions?.map((r) => [r.region, r.state, r.responseTimeMs])).toEqual([
      ['eu-west-1', 'up', view.lastRegions![0]!.responseTimeMs],
      ['us-east-1', 'up', 85],
      ['ap-southeast-1', 'up', 85],
    ]);
  });

  it('a probe function error and a timed-out invocation are unknown: with home failing, degraded and nobody paged', async () => {
    target.always = 503;
    const { c, m } = await monitorOfTarget();
    lambda.on(InvokeCommand).callsFake((input, getClient: () => LambdaClient) => {
      if (regionOf.get(getClient()) === 'us-east-1') return { StatusCode: 200, FunctionError: 'Unhandled', Payload: new TextEncoder().encode('{"errorMessage":"boom"}') };
      return new Promise(() => {}); // never answers: the deadline gives up on it
    });
    const outcome = await runCheck(svc, m.id, { regionDeadlineMs: 300, confirmDelayMs: 0 });
    expect(outcome).toMatchObject({ verdict: { status: 'degraded' }, confirmed: false });
    const view = await c.monitors.get.query({ id: m.id });
    expect(view.lastRegions?.map((r) => [r.region, r.state, r.reason])).toEqual([
      ['eu-west-1', 'down', 'HTTP 503'],
      ['us-east-1', 'unknown', 'probe function error'],
      ['ap-southeast-1', 'unknown', 'no answer within 300 ms'],
    ]);
    expect(await t.svc.db.select().from(incidents).where(eq(incidents.monitorId, m.id))).toEqual([]);
  });

  it('an answer that is not a probe result is unknown, not trusted', async () => {
    target.always = 200;
    const { c, m } = await monitorOfTarget();
    lambda.on(InvokeCommand).resolves(answer({ ok: 'yes', statusCode: 'two hundred' }));
    await runCheck(svc, m.id, { regionDeadlineMs: 2_000 });
    const view = await c.monitors.get.query({ id: m.id });
    expect(view.lastRegions?.slice(1).map((r) => [r.state, r.reason])).toEqual([
      ['unknown', 'probe answered nonsense'],
      ['unknown', 'probe answered nonsense'],
    ]);
    expect(view.status).toBe('up');
  });

  it('never invokes a probe for a target the guard refuses', async () => {
    lambda.on(InvokeCommand).resolves(answer(upBody));
    const { m } = await monitorOfTarget();
    await t.svc.db.update(monitors).set({ url: 'http://[::ffff:169.254.169.254]/latest/' }).where(eq(monitors.id, m.id));
    const outcome = await runCheck(svc, m.id, { regionDeadlineMs: 2_000 });
    expect(lambda.commandCalls(InvokeCommand)).toEqual([]);
    expect(outcome).toMatchObject({ verdict: { status: 'down' } });
  });
});
