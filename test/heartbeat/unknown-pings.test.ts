import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_PING_LIMIT } from '../../src/heartbeat/route.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';

/**
 * Pings are unauthenticated: made-up tokens must cost the database a constant, not a row each.
 * A known token keeps its own window (30 a minute); unknown ones share one window per address.
 */
let t: TestApp;
let now = Date.UTC(2026, 6, 1, 8, 0);
beforeAll(async () => {
  t = await startTestApp({ now: () => now });
});
afterAll(() => t.close());

const rateRows = async () => Number((await t.svc.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM rate_limits`))?.n ?? 0);
const randomToken = () => randomBytes(18).toString('base64url');

describe('unknown ping tokens', () => {
  it('1,000 random tokens leave at most one rate_limits row, are throttled per address, and a real token keeps working', async () => {
    const c = await t.signUp();
    const m = await c.monitors.create.mutate({ kind: 'heartbeat', name: 'backup', intervalSeconds: 3600, graceSeconds: 600 });
    await t.scheduler.remove(m.id);
    const token = m.pingUrl!.split('/').pop()!;
    rememberSecret(token);

    const before = await rateRows();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const res = await fetch(`${t.baseUrl}/ping/${randomToken()}`, { method: i % 2 ? 'POST' : 'GET' });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const added = (await rateRows()) - before;
    console.log(`[figures] unknown-pings: ${JSON.stringify({ pings: 1000, rateRowsAdded: added, statuses: Object.fromEntries(statuses) })}`);
    expect(added).toBeLessThanOrEqual(1);
    expect(statuses.get(404)).toBe(UNKNOWN_PING_LIMIT);
    expect(statuses.get(429)).toBe(1000 - UNKNOWN_PING_LIMIT);

    // The heartbeat's own token, from the same address, is not caught by the strangers' window.
    expect((await fetch(`${t.baseUrl}/ping/${token}`)).status).toBe(200);
    expect((await fetch(`${t.baseUrl}/ping/${token}/fail`)).status).toBe(200);

    // The window ends: a made-up token is a plain 404 again.
    now += 60_000;
    expect((await fetch(`${t.baseUrl}/ping/${randomToken()}`)).status).toBe(404);
  }, 60_000);
});
