import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { recordCheck } from '../../src/checker/record.js';
import { PLAN_LIMITS } from '../../src/domain/plans.js';
import { createLogger } from '../../src/log.js';
import { getMonitor } from '../../src/monitors/reads.js';
import { LocalScheduler } from '../../src/scheduler/local.js';
import { accessToken, api, partnerOf } from '../public/support.js';
import { startTestApp, type TestApp } from '../support/harness.js';

let t: TestApp;
let now = Date.UTC(2026, 4, 4, 9, 0);
beforeAll(async () => {
  t = await startTestApp({ now: () => now });
});
afterAll(() => t.close());

const up = { ok: true, statusCode: 200, responseTimeMs: 10, reason: null, certExpiresAt: null };
const down = { ok: false, statusCode: 500, responseTimeMs: 10, reason: 'HTTP 500', certExpiresAt: null };

describe('the interval in force', () => {
  it('shows effectiveIntervalSeconds beside intervalSeconds after a downgrade, in both APIs', async () => {
    const p = await partnerOf(t);
    await setPlanByEmail(t.svc, p.user.email, 'solo');
    const m = await p.user.monitors.create.mutate({ name: 'fast', url: 'https://example.com/', intervalSeconds: 60 });
    expect(m).toMatchObject({ intervalSeconds: 60, effectiveIntervalSeconds: 60 });
    await setPlanByEmail(t.svc, p.user.email, 'free');
    const fresh = t.client(p.user.jar); // a new session reads the new plan
    expect(await fresh.monitors.get.query({ id: m.id })).toMatchObject({ intervalSeconds: 60, effectiveIntervalSeconds: 300 });
    const token = await accessToken(t, p);
    const res = await api(t, `/monitors/${m.id}`, token);
    expect(await res.json()).toMatchObject({ intervalSeconds: 60, effectiveIntervalSeconds: 300 });
    expect((await t.scheduler.list()).find((s) => s.monitorId === m.id)).toMatchObject({ intervalSeconds: 300 });
  });
});

describe('incident pages', () => {
  it('pages incidents with a cursor in both APIs, newest first, none lost or repeated', async () => {
    const p = await partnerOf(t);
    const m = await p.user.monitors.create.mutate({ name: 'flaky', url: 'https://example.com/' });
    for (let i = 0; i < 5; i++) {
      now += 60_000;
      await recordCheck(t.svc, await getMonitor(t.svc, p.user.user.accountId, m.id), down, now);
      now += 60_000;
      await recordCheck(t.svc, await getMonitor(t.svc, p.user.user.accountId, m.id), up, now);
    }
    const first = await p.user.monitors.incidents.query({ id: m.id, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await p.user.monitors.incidents.query({ id: m.id, limit: 2, cursor: first.nextCursor });
    const third = await p.user.monitors.incidents.query({ id: m.id, limit: 2, cursor: second.nextCursor });
    expect(third.nextCursor).toBeNull();
    const all = [...first.items, ...second.items, ...third.items];
    expect(new Set(all.map((i) => i.id)).size).toBe(5);
    expect(all.map((i) => i.startedAt)).toEqual([...all.map((i) => i.startedAt)].sort().reverse());

    const token = await accessToken(t, p);
    const pub1 = (await (await api(t, `/monitors/${m.id}/incidents?limit=3`, token)).json()) as { data: { id: string }[]; nextCursor: string };
    const pub2 = (await (await api(t, `/monitors/${m.id}/incidents?limit=3&cursor=${pub1.nextCursor}`, token)).json()) as { data: { id: string }[]; nextCursor: null };
    expect([...pub1.data, ...pub2.data].map((i) => i.id)).toEqual(all.map((i) => i.id));
    expect(pub2.nextCursor).toBeNull();
    expect((await api(t, `/monitors/${m.id}/incidents?cursor=garbage`, token)).status).toBe(400);
  });
});

describe('checks after an edit, a resume and a restart', () => {
  it('an edit of url, method, keyword or expected codes triggers a check, within the immediate-check budget; a rename does not', async () => {
    const c = await t.signUp();
    const m = await c.monitors.create.mutate({ name: 'edit', url: 'https://example.com/' });
    // One immediate check per monitor per plan interval (src/monitors/immediate-check.ts): each edit
    // below comes an interval after the last check it asked for.
    const nextInterval = () => (now += PLAN_LIMITS.free.minIntervalSeconds * 1000);
    const trigger = vi.spyOn(t.scheduler, 'triggerNow');
    try {
      nextInterval();
      await c.monitors.update.mutate({ id: m.id, name: 'renamed' });
      expect(trigger).not.toHaveBeenCalled();
      for (const edit of [{ keyword: 'ok' }, { expectedStatusCodes: '200' }, { method: 'POST' as const }, { url: 'https://example.com/other' }]) {
        await c.monitors.update.mutate({ id: m.id, ...edit });
        nextInterval();
      }
      expect(trigger).toHaveBeenCalledTimes(4);
      await c.monitors.update.mutate({ id: m.id, keyword: 'ok' }); // unchanged: no check
      expect(trigger).toHaveBeenCalledTimes(4);
      await c.monitors.update.mutate({ id: m.id, paused: true });
      await c.monitors.update.mutate({ id: m.id, paused: false }); // resume: a fresh check
      expect(trigger).toHaveBeenCalledTimes(5);
      // Within the same interval, a further edit is saved but waits for the schedule.
      await c.monitors.update.mutate({ id: m.id, url: 'https://example.com/third' });
      expect(trigger).toHaveBeenCalledTimes(5);
    } finally {
      trigger.mockRestore();
    }
  });

  it('local timers resume on their phase: the first tick comes at lastCheckedAt + interval', async () => {
    const wall = Date.now();
    const scheduler = new LocalScheduler(createLogger(() => undefined), () => wall);
    const fired: string[] = [];
    scheduler.attach(async (id) => {
      fired.push(id);
    });
    try {
      // Checked 59.9 s ago on a 60 s interval: due in 100 ms, not in 60 s.
      await scheduler.create({ monitorId: 'mon_phase', intervalSeconds: 60, enabled: true, lastCheckedAt: wall - 59_900 });
      // Never checked: first tick a full interval later.
      await scheduler.create({ monitorId: 'mon_fresh', intervalSeconds: 60, enabled: true, lastCheckedAt: null });
      // Overdue: at once.
      await scheduler.create({ monitorId: 'mon_late', intervalSeconds: 60, enabled: true, lastCheckedAt: wall - 600_000 });
      await new Promise((r) => setTimeout(r, 400));
      expect(fired.sort()).toEqual(['mon_late', 'mon_phase']);
    } finally {
      scheduler.stop();
    }
  });
});

describe('uptime in the list', () => {
  it('reads the uptime of a whole page in one statement per grain: as many statements for 30 monitors as for 1', async () => {
    const statementsFor = async (monitors: number) => {
      const c = await t.signUp();
      await setPlanByEmail(t.svc, c.email, 'team');
      const fresh = t.client(c.jar);
      for (let i = 0; i < monitors; i++) await fresh.monitors.create.mutate({ name: `m${i}`, url: `https://example.com/${i}` });
      const sqlOf = (stmt: unknown) => String((stmt as { sql?: string }).sql ?? stmt);
      const readOnce = async () => {
        // A read is one batch; count single statements too.
        const execute = vi.spyOn(t.svc.db.$client, 'execute');
        const batch = vi.spyOn(t.svc.db.$client, 'batch');
        try {
          const page = await fresh.monitors.list.query({ limit: 50 });
          expect(page.items).toHaveLength(monitors);
          expect(page.items.every((m) => 'uptime24h' in m && 'uptime30d' in m)).toBe(true);
          return [...execute.mock.calls.map((call) => sqlOf(call[0])), ...batch.mock.calls.flatMap((call) => (call[0] as unknown[]).map(sqlOf))];
        } finally {
          execute.mockRestore();
          batch.mockRestore();
        }
      };
      // The spy sees the whole client, so work in the background (the sign-up's mail leaving the
      // outbox, a check coming due) can add statements to one read; it never removes any. The
      // fewest seen over three reads is the read's own count.
      const reads = [await readOnce(), await readOnce(), await readOnce()];
      return reads.reduce((a, b) => (b.length < a.length ? b : a));
    };
    const one = await statementsFor(1);
    const thirty = await statementsFor(30);
    expect(thirty.length).toBe(one.length);
    // One summing statement per grain (hour, day), whatever the page size.
    expect(thirty.filter((q) => q.includes('"rollups"'))).toHaveLength(2);
  }, 60_000);
});

describe('GET /healthz', () => {
  it('answers 200 with the database reachable, unauthenticated', async () => {
    const res = await t.fetch('/healthz', { origin: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 with Retry-After when the database is down', async () => {
    const other = await startTestApp();
    try {
      other.svc.db.$client.close();
      const res = await other.fetch('/healthz', { origin: null });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.json()).toEqual({ status: 'unavailable' });
    } finally {
      await other.close().catch(() => undefined);
    }
  });
});
