import type { Client, InStatement } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { recordCheck } from '../../src/checker/record.js';
import { readForCheck, runCheck } from '../../src/checker/run.js';
import { runTick } from '../../src/checker/tick.js';
import { appAndTarget } from '../support/app-and-target.js';

/**
 * What a check costs in rows written, the figure the database bills (docs/adr/0018-rows-per-check.md):
 * a check that changes nothing the monitor shows writes its check row and its hour's counters, and
 * never the monitor's row; the screens still show it at once, from the newest check.
 */
let now = Date.UTC(2026, 10, 20, 12, 0, 0);
const fx = appAndTarget({ now: () => now });
const fast = { confirmDelayMs: 0 };

/** Every statement of every batch run while `run` runs, and the rows SQLite counted changed (total_changes(), triggers included). */
async function writesOf(client: Client, run: () => Promise<unknown>, app = fx) {
  await app.t.settled(); // the sign-up's mail leaves its outbox on this same client
  const batch = client.batch.bind(client);
  const seen: string[] = [];
  let rows = 0;
  client.batch = (async (stmts: InStatement[], mode?: Parameters<Client['batch']>[1]) => {
    seen.push(...stmts.map((s) => (typeof s === 'string' ? s : s.sql)));
    const results = await batch(['SELECT total_changes()', ...stmts, 'SELECT total_changes()'], mode);
    rows += Number(results.at(-1)!.rows[0]![0]) - Number(results[0]!.rows[0]![0]);
    return results.slice(1, -1);
  }) as Client['batch'];
  try {
    await run();
  } finally {
    client.batch = batch;
  }
  return { seen, rows };
}

const updatesMonitors = (sql: string) => /^\s*update\s+"?monitors"?\s/i.test(sql);

describe('rows written per check', () => {
  it('a steady up check writes two rows and never the monitor’s row, and the dashboard shows it within one poll', async () => {
    fx.target.always = 200;
    const c = await fx.t.signUp();
    const m = await c.monitors.create.mutate({ name: 'steady', url: fx.target.url, intervalSeconds: 300 });
    const first = await writesOf(fx.t.svc.db.$client, () => runCheck(fx.t.svc, m.id, fast));
    // pending → up is a change: the monitor's row is written (and the feed's trigger with it).
    expect(first.seen.filter(updatesMonitors)).toHaveLength(1);
    const { changesCursor } = await c.monitors.list.query();

    now += 300_000;
    const steady = await writesOf(fx.t.svc.db.$client, () => runCheck(fx.t.svc, m.id, fast));
    expect(steady.seen.filter(updatesMonitors)).toEqual([]);
    expect(steady.rows).toBe(2); // the check, and one upsert of its hour's counters

    // What the screens show comes from the newest check: the detail, and the dashboard's feed.
    const shown = await c.monitors.get.query({ id: m.id });
    expect(shown).toMatchObject({ status: 'up', lastCheckedAt: new Date(now).toISOString(), lastStatusCode: 200 });
    const feed = await c.monitors.changes.query({ since: changesCursor });
    expect(feed.items.map((i) => [i.id, i.lastCheckedAt])).toEqual([[m.id, new Date(now).toISOString()]]);
    expect(await c.monitors.changes.query({ since: feed.cursor })).toMatchObject({ items: [], goneIds: [] });
  });

  it('a steady down check writes two rows too; the change to down writes the monitor', async () => {
    fx.target.always = 200;
    const c = await fx.t.signUp();
    const m = await c.monitors.create.mutate({ name: 'falling', url: fx.target.url, intervalSeconds: 300 });
    await runCheck(fx.t.svc, m.id, fast);
    fx.target.always = 503;
    now += 300_000;
    const change = await writesOf(fx.t.svc.db.$client, () => runCheck(fx.t.svc, m.id, fast));
    expect(change.seen.filter(updatesMonitors)).toHaveLength(1);
    now += 300_000;
    const steady = await writesOf(fx.t.svc.db.$client, () => runCheck(fx.t.svc, m.id, fast));
    expect(steady.seen.filter(updatesMonitors)).toEqual([]);
    expect(steady.rows).toBe(2);
    expect(await c.monitors.get.query({ id: m.id })).toMatchObject({ status: 'down', lastReason: 'HTTP 503', lastCheckedAt: new Date(now).toISOString() });
  });

  it('two steady recordings from the same read: the second is refused, so a redelivered check is not counted twice', async () => {
    fx.target.always = 200;
    const c = await fx.t.signUp();
    const m = await c.monitors.create.mutate({ name: 'twice', url: fx.target.url, intervalSeconds: 300 });
    await runCheck(fx.t.svc, m.id, fast);
    now += 300_000;
    const read = (await readForCheck(fx.t.svc.db, m.id))!;
    const up = { ok: true, statusCode: 200, responseTimeMs: 5, reason: null, certExpiresAt: null };
    expect(await recordCheck(fx.t.svc, read, up, now, now, { guarded: true })).toEqual({ status: 'up', changed: false });
    expect(await recordCheck(fx.t.svc, read, up, now, now, { guarded: true })).toMatchObject({ stale: true });
    expect((await c.monitors.checks.query({ id: m.id })).items).toHaveLength(2);
  });
});

describe('rows written per check in fan-out mode', () => {
  const fan = appAndTarget({ now: () => now, env: { CHECK_MODE: 'fan-out' } });

  it('a steady check of a tick writes two rows too: nothing marks a monitor as claimed', async () => {
    fan.target.always = 200;
    const c = await fan.t.signUp();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await c.monitors.create.mutate({ name: `tick ${i}`, url: fan.target.url, intervalSeconds: 300 })).id);
    now += 300_000;
    // The first checks: pending → up, a change.
    expect(await runTick(fan.t.svc, 0, 1, { dueAt: now, confirmDelayMs: 0 })).toMatchObject({ due: 3, up: 3 });

    now += 300_000;
    let summary;
    const steady = await writesOf(fan.t.svc.db.$client, async () => (summary = await runTick(fan.t.svc, 0, 1, { dueAt: now, confirmDelayMs: 0 })), fan);
    expect(summary).toMatchObject({ due: 3, up: 3, dropped: 0 });
    expect(steady.seen.filter(updatesMonitors)).toEqual([]);
    expect(steady.rows).toBe(2 * 3); // per check: the check, and one upsert of its hour's counters
    // Done for this interval: the same tick again writes nothing.
    const again = await writesOf(fan.t.svc.db.$client, () => runTick(fan.t.svc, 0, 1, { dueAt: now, confirmDelayMs: 0 }), fan);
    expect(again.rows).toBe(0);
    expect(await c.monitors.get.query({ id: ids[0]! })).toMatchObject({ status: 'up', lastCheckedAt: new Date(now).toISOString() });
  });
});
