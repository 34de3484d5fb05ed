import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { runCheck } from '../../src/checker/run.js';
import { alertEvents, checks, incidents, monitors, regionRollups } from '../../src/db/schema.js';
import type { PlanName } from '../../src/domain/plans.js';
import { LocalRegionProbes } from '../../src/probes/local-regions.js';
import type { ProbeRequest } from '../../src/probes/request.js';
import type { ProbeResult } from '../../src/probes/result.js';
import { startReceiver } from '../alerts/support.js';
import { accessToken, api } from '../public/support.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';
import { startTarget } from '../support/target.js';

/**
 * Checks from several regions, locally: home (eu-west-1) probes the real target on 127.0.0.1, and
 * each other region is an in-process probe whose answer the test injects, so regions that disagree
 * are an ordinary case. The quorum decides: down (an incident and its alerts) at 2 of 3 by default;
 * fewer failing regions are degraded, named, and page no one; a silent region counts for nothing.
 */
const REGIONS = 'eu-west-1,us-east-1,ap-southeast-1';
const MIN = 60_000;
const HOUR = 60 * MIN;
let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let target: Awaited<ReturnType<typeof startTarget>>;
let now = Date.UTC(2026, 8, 1, 9, 0);
let probes: LocalRegionProbes;

beforeAll(async () => {
  receiver = await startReceiver();
  target = await startTarget();
  t = await startTestApp({ now: () => now, env: { CHECK_REGIONS: REGIONS } });
  probes = t.svc.probes as LocalRegionProbes;
});
afterAll(async () => {
  await t.close();
  await receiver.close();
  await target.close();
});

const fast = { confirmDelayMs: 0, regionDeadlineMs: 300 };
const up = (ms: number): ProbeResult => ({ ok: true, statusCode: 200, responseTimeMs: ms, reason: null, certExpiresAt: null });
const failing = (reason: string, statusCode: number | null = null): ProbeResult => ({ ok: false, statusCode, responseTimeMs: 40, reason, certExpiresAt: null });
const never = () => new Promise<ProbeResult>(() => {});

let seq = 0;
async function account(plan: PlanName = 'team') {
  const c = await t.signUp();
  await setPlanByEmail(t.svc, c.email, plan);
  const hook = await c.contacts.create.mutate({ kind: 'webhook', name: 'ops', target: receiver.url(`/regions-${++seq}`) });
  rememberSecret(hook.signingSecret);
  return { c, path: `/regions-${seq}` };
}

/** A monitor of the target from every region, unpaused behind the scheduler's back so no timer races the test's checks. */
async function threeRegionMonitor(c: Awaited<ReturnType<typeof account>>['c'], extra: Record<string, unknown> = {}) {
  const m = await c.monitors.create.mutate({ name: `site ${seq}`, url: target.url, paused: true, regions: REGIONS.split(','), ...extra });
  await t.svc.db.update(monitors).set({ paused: false }).where(eq(monitors.id, m.id));
  return m;
}

function regionsAnswer(answers: Record<string, ((r: ProbeRequest) => Promise<ProbeResult> | ProbeResult) | null>) {
  for (const [region, behaviour] of Object.entries(answers)) probes.inject(region, behaviour);
}

const openIncidents = (id: string) => t.svc.db.select().from(incidents).where(and(eq(incidents.monitorId, id)));
const eventTypes = async (id: string) => (await t.svc.db.select().from(alertEvents).where(eq(alertEvents.monitorId, id))).map((e) => e.type);

describe('a monitor checked from three regions', () => {
  it('up everywhere: up, one probe per region, what each said kept on the check, the monitor and the per-region rollups', async () => {
    const { c } = await account();
    const m = await threeRegionMonitor(c);
    target.always = 200;
    regionsAnswer({ 'us-east-1': () => up(120), 'ap-southeast-1': () => up(310) });
    const hits = target.hits;
    const outcome = await runCheck(t.svc, m.id, fast);
    expect(outcome).toMatchObject({ kind: 'checked', verdict: { status: 'up' }, confirmed: false });
    expect(target.hits - hits).toBe(1); // home probed the target once; the others answered for themselves
    const view = await c.monitors.get.query({ id: m.id });
    expect(view).toMatchObject({ status: 'up', regions: REGIONS.split(','), effectiveRegions: REGIONS.split(','), effectiveFailureQuorum: 2 });
    expect(view.lastRegions?.map((r) => [r.region, r.state, r.responseTimeMs])).toEqual([
      ['eu-west-1', 'up', view.lastRegions![0]!.responseTimeMs],
      ['us-east-1', 'up', 120],
      ['ap-southeast-1', 'up', 310],
    ]);
    const [check] = (await c.monitors.checks.query({ id: m.id })).items;
    expect(check?.regions?.map((r) => r.state)).toEqual(['up', 'up', 'up']);
    const latency = await c.monitors.regionLatency.query({ id: m.id, range: '24h' });
    expect(latency.regions).toEqual(
      expect.arrayContaining([
        { region: 'us-east-1', avgResponseTimeMs: 120, checks: 1, answered: 1, okChecks: 1 },
        { region: 'ap-southeast-1', avgResponseTimeMs: 310, checks: 1, answered: 1, okChecks: 1 },
      ]),
    );
  });

  it('1 of 3 failing: degraded, naming the failing region and its reason; no incident, no alert, no re-check', async () => {
    const { c } = await account();
    const m = await threeRegionMonitor(c);
    target.always = 200;
    regionsAnswer({ 'us-east-1': () => failing('HTTP 503', 503), 'ap-southeast-1': () => up(90) });
    const hits = target.hits;
    const outcome = await runCheck(t.svc, m.id, fast);
    expect(outcome).toMatchObject({ verdict: { status: 'degraded' }, confirmed: false });
    expect(target.hits - hits).toBe(1);
    const view = await c.monitors.get.query({ id: m.id });
    expect(view.status).toBe('degraded');
    expect(view.lastReason).toContain('us-east-1 (HTTP 503)');
    expect(view.lastRegions?.find((r) => r.region === 'us-east-1')).toMatchObject({ state: 'down', statusCode: 503, reason: 'HTTP 503' });
    expect(await openIncidents(m.id)).toEqual([]);
    expect(await eventTypes(m.id)).toEqual([]);
  });

  it('2 of 3 failing: down at once (the quorum is the confirmation), one incident naming both regions and reasons, and the alert says it', async () => {
    const { c, path } = await account();
    const m = await threeRegionMonitor(c);
    target.always = 200;
    regionsAnswer({ 'us-east-1': () => up(100), 'ap-southeast-1': () => up(100) });
    await runCheck(t.svc, m.id, fast);
    now += 5 * MIN;
    target.always = 500;
    regionsAnswer({ 'us-east-1': () => failing('timeout after 10000 ms'), 'ap-southeast-1': () => up(100) });
    const hits = target.hits;
    const outcome = await runCheck(t.svc, m.id, fast);
    expect(outcome).toMatchObject({ verdict: { status: 'down', changed: true }, confirmed: false });
    expect(target.hits - hits).toBe(1);
    const [incident] = await openIncidents(m.id);
    expect(incident?.reason).toBe('down in eu-west-1 (HTTP 500), us-east-1 (timeout after 10000 ms)');
    expect(await eventTypes(m.id)).toEqual(['monitor.down']);
    await receiver.waitFor(() => receiver.at(path).some((h) => h.json.type === 'monitor.down'));
    const alert = receiver.at(path).find((h) => h.json.type === 'monitor.down')!;
    expect(alert.body).toContain('eu-west-1 (HTTP 500)');
    expect(alert.body).toContain('us-east-1 (timeout after 10000 ms)');
  });

  it('3 of 3 failing: down; all three up again resolves the incident with its monitor.up', async () => {
    const { c } = await account();
    const m = await threeRegionMonitor(c);
    target.always = 503;
    regionsAnswer({ 'us-east-1': () => failing('HTTP 503', 503), 'ap-southeast-1': () => failing('connection refused') });
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'down' } });
    const [open] = await openIncidents(m.id);
    expect(open?.reason).toBe('down in eu-west-1 (HTTP 503), us-east-1 (HTTP 503), ap-southeast-1 (connection refused)');
    now += 5 * MIN;
    target.always = 200;
    regionsAnswer({ 'us-east-1': () => up(80), 'ap-southeast-1': () => up(80) });
    expect(await runCheck(t.svc, m.id, fast)).toMatchObject({ verdict: { status: 'up', changed: true } });
    const [closed] = await openIncidents(m.id);
    expect(closed?.resolvedAt).not.toBeNull();
    expect((await eventTypes(m.id)).sort()).toEqual(['monitor.down', 'monitor.up']);
  });

  it('a region that times out and one whose probe errors are unknown, never down: with home failing too, nobody is paged', async () => {
    const { c } = await account();
    const m = await threeRegionMonitor(c);
    target.always = 500;
    regionsAnswer({ 'us-east-1': never, 'ap-southeast-1': () => Promise.reject(new Error('socket hang up')) });
    const outcome = await runCheck(t.svc, m.id, fast);
    expect(outcome).toMatchObject({ verdict: { status: 'degraded' } });
    const view = await c.monitors.get.query({ id: m.id });
    expect(view.lastRegions?.map((r) => [r.region, r.state])).toEqual([
      ['eu-west-1', 'down'],
      ['us-east-1', 'unknown'],
      ['ap-southeast-1', 'unknown'],
    ]);
    expect(view.lastRegions?.[1]?.reason).toBe('no answer within 300 ms');
    expect(view.lastReason).toContain('no answer from us-east-1, ap-southeast-1');
    expect(await openIncidents(m.id)).toEqual([]);
    expect(await eventTypes(m.id)).toEqual([]);
    // The per-region rollups count the silent regions as asked, not answered.
    const rows = await t.svc.db.select().from(regionRollups).where(and(eq(regionRollups.monitorId, m.id), eq(regionRollups.grain, 'hour')));
    expect(rows.find((r) => r.region === 'us-east-1')).toMatchObject({ checks: 1, answered: 0, okChecks: 0 });
    expect(t.logs.some((l) => l.includes('check.region_unanswered') && l.includes('us-east-1'))).toBe(true);
  });

  it('a quorum of 1 pages on any failing region; a quorum of 3 only when every region fails', async () => {
    const { c } = await account();
    const strict = await threeRegionMonitor(c, { failureQuorum: 1 });
    const lenient = await threeRegionMonitor(c, { failureQuorum: 3 });
    target.always = 200;
    regionsAnswer({ 'us-east-1': () => failing('HTTP 502', 502), 'ap-southeast-1': () => failing('HTTP 502', 502) });
    expect(await runCheck(t.svc, strict.id, fast)).toMatchObject({ verdict: { status: 'down' } });
    expect(await runCheck(t.svc, lenient.id, fast)).toMatchObject({ verdict: { status: 'degraded' } });
  });

  it('SLA uptime follows the decided state: degraded hours count as up, down hours as down', async () => {
    const { c } = await account();
    const m = await threeRegionMonitor(c);
    target.always = 200;
    regionsAnswer({ 'us-east-1': () => failing('HTTP 503', 503), 'ap-southeast-1': () => up(50) });
    await runCheck(t.svc, m.id, fast); // degraded
    now += HOUR;
    await runCheck(t.svc, m.id, fast); // an hour degraded
    expect((await c.monitors.get.query({ id: m.id })).uptime24h).toBe(100);
    regionsAnswer({ 'ap-southeast-1': () => failing('HTTP 503', 503) });
    await runCheck(t.svc, m.id, fast); // down (2 of 3)
    now += HOUR;
    await runCheck(t.svc, m.id, fast); // an hour down
    expect((await c.monitors.get.query({ id: m.id })).uptime24h).toBe(50);
  });
});

describe('the guard before any region', () => {
  it('never hands a probe a target the SSRF guard refuses: every region fails with the refusal, none is asked', async () => {
    const { c } = await account();
    const m = await threeRegionMonitor(c);
    const asked: string[] = [];
    regionsAnswer({
      'us-east-1': (r) => (asked.push(JSON.stringify(r)), up(1)),
      'ap-southeast-1': (r) => (asked.push(JSON.stringify(r)), up(1)),
    });
    // Metadata addresses are refused even where private targets are allowed; the API never stores
    // one, so it is put straight in the database (as a DNS change or an old row would leave it).
    await t.svc.db.update(monitors).set({ url: 'http://169.254.169.254/latest/meta-data/' }).where(eq(monitors.id, m.id));
    const outcome = await runCheck(t.svc, m.id, fast);
    expect(asked).toEqual([]);
    expect(outcome).toMatchObject({ verdict: { status: 'down' } });
    const view = await c.monitors.get.query({ id: m.id });
    expect(view.lastRegions?.every((r) => r.state === 'down' && r.reason?.startsWith('blocked: link-local'))).toBe(true);
  });
});

describe('regions on the API', () => {
  it('refuses an unknown region, a list without home, a quorum above the regions and regions on a heartbeat, each naming its field', async () => {
    const { c } = await account();
    const refused = async (input: Record<string, unknown>) => {
      try {
        await c.monitors.create.mutate({ name: 'x', url: target.url, paused: true, ...input } as never);
        return null;
      } catch (e) {
        return (e as { data?: { fieldErrors?: { path: string; message: string }[] } }).data?.fieldErrors?.[0] ?? null;
      }
    };
    expect(await refused({ regions: ['eu-west-1', 'mars-north-1'] })).toMatchObject({ path: 'regions', message: expect.stringContaining('mars-north-1') });
    expect(await refused({ regions: ['us-east-1'] })).toMatchObject({ path: 'regions', message: expect.stringContaining('home region eu-west-1') });
    expect(await refused({ regions: ['eu-west-1', 'us-east-1'], failureQuorum: 3 })).toMatchObject({ path: 'failureQuorum' });
    expect(await refused({ kind: 'heartbeat', url: undefined, regions: ['eu-west-1', 'us-east-1'] })).toMatchObject({ path: 'regions' });
  });

  it("the plan's limit: Free checks from one region, Solo from three, each refusal a LIMIT naming regions", async () => {
    const free = await account('free');
    await expect(free.c.monitors.create.mutate({ name: 'x', url: target.url, paused: true, regions: ['eu-west-1', 'us-east-1'] })).rejects.toMatchObject({
      data: { appCode: 'LIMIT', limit: { plan: 'free', limit: 1, current: 2 }, fieldErrors: [{ path: 'regions' }] },
    });
    const solo = await account('solo');
    const m = await solo.c.monitors.create.mutate({ name: 'x', url: target.url, paused: true, regions: REGIONS.split(',') });
    expect(m.regions).toEqual(REGIONS.split(','));
    const summary = await solo.c.account.get.query();
    expect(summary).toMatchObject({ checkRegions: REGIONS.split(','), limits: { maxRegions: 3 } });
  });

  it('the plan limit raced by a downgrade: whichever lands first, the monitor is checked from the one region Free allows', async () => {
    const solo = await account('solo');
    const m = await solo.c.monitors.create.mutate({ name: 'x', url: target.url, paused: true });
    await t.svc.db.update(monitors).set({ paused: false }).where(eq(monitors.id, m.id));
    const asked: string[] = [];
    regionsAnswer({ 'us-east-1': () => (asked.push('us-east-1'), up(1)), 'ap-southeast-1': () => (asked.push('ap-southeast-1'), up(1)) });
    // The edit read the Solo plan; the downgrade may commit before or after its write.
    const [edit] = await Promise.allSettled([
      solo.c.monitors.update.mutate({ id: m.id, regions: REGIONS.split(',') }),
      setPlanByEmail(t.svc, solo.c.email, 'free'),
    ]);
    target.always = 200;
    await runCheck(t.svc, m.id, fast);
    expect(asked).toEqual([]);
    const view = await solo.c.monitors.get.query({ id: m.id });
    expect(view.effectiveRegions).toBeNull();
    expect(view.lastRegions).toBeNull();
    // Either the edit was refused by the new plan, or it stands but is not in force.
    if (edit.status === 'fulfilled') expect(view.regions).toEqual(REGIONS.split(','));
    else expect(edit.reason).toMatchObject({ data: { appCode: 'LIMIT' } });
  });

  it("partners read regions, the quorum and each region's last answer on /api/v1; another account sees none of it", async () => {
    const { c } = await account();
    const m = await threeRegionMonitor(c);
    target.always = 200;
    regionsAnswer({ 'us-east-1': () => failing('HTTP 503', 503), 'ap-southeast-1': () => up(70) });
    await runCheck(t.svc, m.id, fast);
    const client = await c.oauthClients.create.mutate({ name: 'partner' });
    rememberSecret(client.clientSecret);
    const token = await accessToken(t, client);
    const res = await api(t, `/monitors/${m.id}`, token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'degraded', regions: REGIONS.split(','), failureQuorum: 2 });
    expect(body.lastRegions).toContainEqual({ region: 'us-east-1', state: 'down', statusCode: 503, responseTimeMs: 40, reason: 'HTTP 503' });

    // A stranger: neither the monitor, its checks' per-region results nor its latency by region.
    const stranger = await account();
    await expect(stranger.c.monitors.regionLatency.query({ id: m.id, range: '24h' })).rejects.toMatchObject({ data: { appCode: 'NOT_FOUND' } });
    await expect(stranger.c.monitors.checks.query({ id: m.id })).rejects.toMatchObject({ data: { appCode: 'NOT_FOUND' } });
    const strangerClient = await stranger.c.oauthClients.create.mutate({ name: 'other' });
    rememberSecret(strangerClient.clientSecret);
    expect((await api(t, `/monitors/${m.id}`, await accessToken(t, strangerClient))).status).toBe(404);
    // Their own monitor's latency by region holds only their own rows.
    const theirs = await threeRegionMonitor(stranger.c);
    expect((await stranger.c.monitors.regionLatency.query({ id: theirs.id, range: '24h' })).regions).toEqual([]);
    expect(await t.svc.db.select().from(checks).where(eq(checks.monitorId, theirs.id))).toEqual([]);
  });
});
