import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checker/run.js';
import { pruneExpiredAccountRows } from '../../src/accounts/prune-expired.js';
import { PLAN_LIMITS } from '../../src/domain/plans.js';
import { LocalScheduler } from '../../src/scheduler/local.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { startTarget } from '../support/target.js';
import { reportFigures } from './figures.js';

// Finding 6: every URL edit or resume ran a check at once (20 edits, 21 requests to the target).
// Finding 7: rate_limits grew forever.
let clock = Date.UTC(2032, 0, 1);
let t: TestApp;
let target: Awaited<ReturnType<typeof startTarget>>;
beforeAll(async () => {
  t = await startTestApp({ now: () => clock });
  (t.scheduler as LocalScheduler).attach((id) => runCheck(t.svc, id).then(() => undefined));
  target = await startTarget();
});
afterAll(async () => {
  await t.close();
  await target.close();
});

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('immediate checks are budgeted', () => {
  it('20 URL edits and pause/resumes within one interval make one request to the target; the next interval allows one more', async () => {
    const u = await t.signUp();
    const before = target.hits;
    const m = await u.monitors.create.mutate({ name: 'edited', url: `${target.url}?v=0` });
    for (let i = 1; i <= 10; i++) await u.monitors.update.mutate({ id: m.id, url: `${target.url}?v=${i}` });
    for (let i = 0; i < 5; i++) {
      await u.monitors.update.mutate({ id: m.id, paused: true });
      await u.monitors.update.mutate({ id: m.id, paused: false });
    }
    await settle();
    const withinInterval = target.hits - before;
    expect(withinInterval).toBe(1);
    // Every edit was saved all the same.
    expect((await u.monitors.get.query({ id: m.id })).url).toBe(`${target.url}?v=10`);

    clock += PLAN_LIMITS.free.minIntervalSeconds * 1000;
    await u.monitors.update.mutate({ id: m.id, url: `${target.url}?v=next` });
    await settle();
    expect(target.hits - before).toBe(2);
    reportFigures('immediate-checks', { edits: 20, requestsWithinOneInterval: withinInterval });
  });

  it(`an account gets at most ${PLAN_LIMITS.free.immediateChecksPerHour} immediate checks an hour; the rest wait for their schedule`, async () => {
    clock += 86_400_000;
    const u = await t.signUp();
    const before = target.hits;
    const n = PLAN_LIMITS.free.immediateChecksPerHour + 5;
    for (let i = 0; i < n; i++) await u.monitors.create.mutate({ name: `m${i}`, url: `${target.url}?m=${i}` });
    await settle();
    expect(target.hits - before).toBe(PLAN_LIMITS.free.immediateChecksPerHour);
    expect((await u.monitors.list.query({ limit: 100 })).items).toHaveLength(n);
  });
});

describe('the daily prune deletes ended rate-limit windows', () => {
  it('rows from unknown emails and ended windows go; live windows stay', async () => {
    clock += 86_400_000;
    for (let i = 0; i < 5; i++) {
      await t.fetch('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `nobody-${i}@example.com`, password: 'whatever password' }) });
    }
    const count = async () => Number((await t.svc.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM rate_limits`))[0]!.n);
    const grown = await count();
    expect(grown).toBeGreaterThan(5);
    clock += 2 * 3_600_000; // every login window (at most an hour) has ended
    await t.fetch('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'live@example.com', password: 'whatever password' }) });
    const result = await pruneExpiredAccountRows(t.svc);
    // All but the address's window, which the live attempt restarted.
    expect(result.rateLimits).toBe(grown - 1);
    const left = await t.svc.db.all<{ key: string }>(sql`SELECT key FROM rate_limits`);
    expect(left.map((r) => r.key).sort()).toEqual(['login-email:live@example.com', 'login-ip:127.0.0.1', 'login:live@example.com|127.0.0.1']);
  });
});
