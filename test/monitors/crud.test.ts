import { TRPCClientError } from '@trpc/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { accounts } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rejection } from '../support/http-status.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());


const site = { name: 'Homepage', url: 'https://example.com/' };

describe('monitors CRUD through the tRPC client', () => {
  it('creates with defaults, lists, gets, updates and deletes', async () => {
    const c = await t.signUp();
    const created = await c.monitors.create.mutate(site);
    expect(created).toMatchObject({
      name: 'Homepage',
      url: 'https://example.com/',
      method: 'GET',
      intervalSeconds: 300, // the Free plan's shortest
      timeoutMs: 10_000,
      expectedStatusCodes: '200-399',
      keyword: null,
      paused: false,
      status: 'pending',
      lastCheckedAt: null,
    });
    expect(created.id).toMatch(/^mon_[a-z0-9]{24}$/);
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);

    expect(((await c.monitors.list.query()).items).map((m) => m.id)).toEqual([created.id]);
    const got = await c.monitors.get.query({ id: created.id });
    expect(got).toMatchObject({ id: created.id, uptime24h: null, avgResponseTimeMs24h: null });

    const updated = await c.monitors.update.mutate({
      id: created.id,
      name: 'Home',
      intervalSeconds: 600,
      expectedStatusCodes: [200, '300-302'],
      keyword: 'Welcome',
      method: 'POST',
    });
    expect(updated).toMatchObject({
      name: 'Home',
      intervalSeconds: 600,
      expectedStatusCodes: '200,300-302',
      keyword: 'Welcome',
      method: 'POST',
      url: 'https://example.com/',
    });

    const paused = await c.monitors.update.mutate({ id: created.id, paused: true });
    expect(paused.status).toBe('paused');

    expect(await c.monitors.delete.mutate({ id: created.id })).toEqual({ id: created.id, deleted: true });
    expect((await c.monitors.list.query()).items).toEqual([]);
    expect(await rejection(c.monitors.get.query({ id: created.id }))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('requires a session', async () => {
    const anonymous = t.client();
    expect(await rejection(anonymous.monitors.list.query())).toMatchObject({ status: 401 });
    expect(await rejection(anonymous.monitors.create.mutate(site))).toMatchObject({ status: 401 });
  });

  it("answers another account's monitor exactly as a missing one", async () => {
    const alice = await t.signUp();
    const bob = await t.signUp();
    const mine = await alice.monitors.create.mutate(site);
    const missing = 'mon_doesnotexist0000000000000';
    for (const id of [mine.id, missing]) {
      expect(await rejection(bob.monitors.get.query({ id }))).toEqual({ code: 'NOT_FOUND', status: 404, message: 'monitor not found' });
      expect(await rejection(bob.monitors.update.mutate({ id, name: 'stolen' }))).toEqual({ code: 'NOT_FOUND', status: 404, message: 'monitor not found' });
      expect(await rejection(bob.monitors.delete.mutate({ id }))).toEqual({ code: 'NOT_FOUND', status: 404, message: 'monitor not found' });
      expect(await rejection(bob.monitors.checks.query({ id }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await rejection(bob.monitors.incidents.query({ id }))).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await bob.monitors.list.query()).items).toEqual([]);
    expect((await alice.monitors.get.query({ id: mine.id })).name).toBe('Homepage');
  });
});

describe('validation answers 400 naming the field', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['empty name', { ...site, name: '' }, 'name'],
    ['long name', { ...site, name: 'x'.repeat(101) }, 'name'],
    ['relative url', { ...site, url: '/health' }, 'url'],
    ['ftp url', { ...site, url: 'ftp://example.com/' }, 'url'],
    ['credentials in url', { ...site, url: 'https://user:pw@example.com/' }, 'url'],
    ['url too long', { ...site, url: 'https://example.com/' + 'a'.repeat(2040) }, 'url'],
    ['method', { ...site, method: 'DELETE' }, 'method'],
    ['interval not a multiple of 60', { ...site, intervalSeconds: 330 }, 'intervalSeconds'],
    ['interval over a day', { ...site, intervalSeconds: 86_460 }, 'intervalSeconds'],
    ['timeout too short', { ...site, timeoutMs: 999 }, 'timeoutMs'],
    ['timeout too long', { ...site, timeoutMs: 30_001 }, 'timeoutMs'],
    ['status code out of range', { ...site, expectedStatusCodes: '200-700' }, 'expectedStatusCodes'],
    ['reversed range', { ...site, expectedStatusCodes: '299-200' }, 'expectedStatusCodes'],
    ['keyword too long', { ...site, keyword: 'k'.repeat(201) }, 'keyword'],
    ['paused not a boolean', { ...site, paused: 'yes' }, 'paused'],
    ['keyword with HEAD', { ...site, method: 'HEAD', keyword: 'ok' }, 'keyword'],
  ];
  it.each(cases)('%s', async (_label, input, field) => {
    const c = await sharedUser();
    const error = await rejection(c.monitors.create.mutate(input as never));
    expect(error.status).toBe(400);
    expect(error.message).toContain(field);
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it('refuses private and loopback targets when they are not allowed', async () => {
    const strict = await startTestApp({ env: { ALLOW_PRIVATE_TARGETS: 'false' } });
    try {
      const c = await strict.signUp();
      for (const url of ['http://127.0.0.1:8080/', 'http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data/', 'http://localhost/', 'http://[::1]/']) {
        const error = await rejection(c.monitors.create.mutate({ ...site, url }));
        expect(error, url).toMatchObject({ status: 400 });
        expect(error.message).toMatch(/^url: /);
      }
      const m = await c.monitors.create.mutate(site);
      expect(await rejection(c.monitors.update.mutate({ id: m.id, url: 'http://192.168.0.1/' }))).toMatchObject({ status: 400 });
    } finally {
      await strict.close();
    }
  });
});

let shared: Awaited<ReturnType<TestApp['signUp']>> | undefined;
async function sharedUser() {
  shared ??= await t.signUp();
  return shared;
}

describe('plan limits', () => {
  it('refuses an interval shorter than the plan allows with 403', async () => {
    const c = await t.signUp();
    const error = await rejection(c.monitors.create.mutate({ ...site, intervalSeconds: 60 }));
    expect(error).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(error.message).toContain('Free plan');
    const m = await c.monitors.create.mutate(site);
    expect(await rejection(c.monitors.update.mutate({ id: m.id, intervalSeconds: 120 }))).toMatchObject({ status: 403 });
  });

  it('holds the Free limit of 50 under 60 concurrent creates', async () => {
    const c = await t.signUp();
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => c.monitors.create.mutate({ ...site, name: `m${i}` })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(50);
    expect(refused).toHaveLength(10);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(TRPCClientError);
      expect((r.reason as TRPCClientError<never>).message).toBe(
        'Free plan allows 50 monitors; you have 50. Delete a monitor or upgrade your plan.',
      );
    }
    expect((await c.monitors.list.query()).items).toHaveLength(50);
    const schedules = await t.scheduler.list();
    const mine = new Set(((await c.monitors.list.query()).items).map((m) => m.id));
    expect(schedules.filter((s) => mine.has(s.monitorId))).toHaveLength(50);

    const account = await c.account.get.query();
    expect(account).toMatchObject({ plan: 'free', usage: { monitors: 50 }, limits: { maxMonitors: 50, minIntervalSeconds: 300 } });
  }, 60_000); // 60 creates, each with scheduler and database work: slow on a loaded 2-core machine

  it('account.get reports plan, limits and usage; plan:set upgrades and downgrades', async () => {
    const c = await t.signUp();
    expect(await c.account.get.query()).toMatchObject({ plan: 'free', usage: { monitors: 0, apiClients: 0 } });
    await setPlanByEmail(t.svc, c.email, 'solo');
    const m = await c.monitors.create.mutate({ ...site, intervalSeconds: 60 });
    expect(m.intervalSeconds).toBe(60);
    expect((await t.scheduler.list()).find((s) => s.monitorId === m.id)?.intervalSeconds).toBe(60);

    // Downgrade: the monitor stays, but is never checked more often than the Free plan allows.
    await setPlanByEmail(t.svc, c.email, 'free');
    const row = await t.svc.db.query.accounts.findFirst({ where: eq(accounts.id, c.user.accountId) });
    expect(row?.plan).toBe('free');
    expect((await t.scheduler.list()).find((s) => s.monitorId === m.id)?.intervalSeconds).toBe(300);
    expect((await c.account.get.query()).plan).toBe('free');
  });
});
