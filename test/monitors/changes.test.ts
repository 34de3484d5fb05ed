import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checker/run.js';
import { monitors } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rejection } from '../support/http-status.js';
import { startTarget } from '../support/target.js';

/**
 * The dashboard's change feed: a screen that holds the list polls only what changed after its
 * cursor — a check result, an edit, a deletion — of its own account, and nothing at all costs a
 * few bytes whatever the number of monitors.
 */
let t: TestApp;
let target: Awaited<ReturnType<typeof startTarget>>;
beforeAll(async () => {
  t = await startTestApp();
  target = await startTarget();
});
afterAll(async () => {
  await target.close();
  await t.close();
});

type Client = Awaited<ReturnType<TestApp['signUp']>>;
const site = (name: string) => ({ name, url: target.url, intervalSeconds: 300 });
const cursorOf = async (c: Client, filters: { status?: 'up' | 'down' } = {}) => (await c.monitors.list.query(filters)).changesCursor;

describe('monitors.changes', () => {
  it('shows nothing when nothing changed, then a check result, then nothing again', async () => {
    const c = await t.signUp();
    const m = await c.monitors.create.mutate(site('checked site'));
    const since = await cursorOf(c);
    expect(await c.monitors.changes.query({ since })).toEqual({ items: [], goneIds: [], cursor: since, reset: false });

    await runCheck(t.svc, m.id);
    const after = await c.monitors.changes.query({ since });
    expect(after.items.map((i) => [i.id, i.status])).toEqual([[m.id, 'up']]);
    expect(after.items[0]!.lastCheckedAt).not.toBeNull();
    expect(after.items[0]).toHaveProperty('uptime24h');
    expect(Number(after.cursor)).toBeGreaterThan(Number(since));
    expect(await c.monitors.changes.query({ since: after.cursor })).toMatchObject({ items: [], goneIds: [] });
  });

  it('shows a monitor added and one deleted, and an edit', async () => {
    const c = await t.signUp();
    const kept = await c.monitors.create.mutate(site('kept'));
    const doomed = await c.monitors.create.mutate(site('doomed'));
    const since = await cursorOf(c);
    const added = await c.monitors.create.mutate(site('added'));
    await c.monitors.delete.mutate({ id: doomed.id });
    await c.monitors.update.mutate({ id: kept.id, name: 'kept, renamed' });
    const feed = await c.monitors.changes.query({ since });
    expect(feed.items.map((i) => i.name).sort()).toEqual(['added', 'kept, renamed']);
    expect(feed.items.find((i) => i.id === added.id)?.status).toBe('pending');
    expect(feed.goneIds).toEqual([doomed.id]);
  });

  it('with a filter: a monitor that stops matching is gone, one that starts matching arrives', async () => {
    const c = await t.signUp();
    const m = await c.monitors.create.mutate(site('flapping'));
    await runCheck(t.svc, m.id);
    const since = await cursorOf(c, { status: 'down' });
    target.always = 503;
    await runCheck(t.svc, m.id);
    await runCheck(t.svc, m.id);
    const down = await c.monitors.changes.query({ since, status: 'down' });
    expect(down.items.map((i) => [i.name, i.status])).toEqual([['flapping', 'down']]);
    target.always = 200;
    await runCheck(t.svc, m.id);
    expect(await c.monitors.changes.query({ since: down.cursor, status: 'down' })).toMatchObject({ items: [], goneIds: [m.id] });
  });

  it('never shows another account’s monitors, changes or deletions, whatever the cursor', async () => {
    const mine = await t.signUp();
    const theirs = await t.signUp();
    const myMonitor = await mine.monitors.create.mutate(site('mine'));
    const theirMonitor = await theirs.monitors.create.mutate(site('theirs'));
    await runCheck(t.svc, theirMonitor.id);
    await theirs.monitors.delete.mutate({ id: theirMonitor.id });
    // Their cursor is further along than mine: from 0 I see all of mine and none of theirs.
    const feed = await mine.monitors.changes.query({ since: '0' });
    expect(feed.items.map((i) => i.id)).toEqual([myMonitor.id]);
    expect(feed.goneIds).toEqual([]);
    expect(JSON.stringify(feed)).not.toContain('theirs');
    // A counter of one account says nothing of another's activity.
    expect(await cursorOf(mine)).toBe(feed.cursor);
  });

  it('refuses a bad cursor or an unknown field with a 400 naming it, and a stranger with a 401', async () => {
    const c = await t.signUp();
    const bad = await rejection(c.monitors.changes.query({ since: 'abc' }));
    expect(bad.status).toBe(400);
    expect(bad.message).toContain('since');
    expect((await rejection(c.monitors.changes.query({ since: '0', extra: 1 } as never))).status).toBe(400);
    expect((await rejection(t.client().monitors.changes.query({ since: '0' }))).status).toBe(401);
  });

  it('writes that change nothing shown (the lease, uptime accrual) move no cursor', async () => {
    const c = await t.signUp();
    const m = await c.monitors.create.mutate(site('quiet'));
    const since = await cursorOf(c);
    await t.svc.db.run(sql`UPDATE ${monitors} SET lease_token = 'x', lease_until = 1, accrued_until = 2 WHERE id = ${m.id}`);
    expect(await c.monitors.changes.query({ since })).toMatchObject({ items: [], goneIds: [], cursor: since });
  });

  it('500 monitors, nothing changed: a poll is a few hundred bytes and one round trip, not the list', async () => {
    const c = await t.signUp();
    const accountId = c.user.accountId;
    const now = Date.now();
    await t.svc.db.insert(monitors).values(
      Array.from({ length: 500 }, (_, i) => ({
        id: `mon_bulk${String(i).padStart(16, '0')}`,
        accountId,
        name: `Service ${i}`,
        url: `https://service-${i}.example.com/health`,
        intervalSeconds: 300,
        createdAt: new Date(now + i),
        status: 'up' as const,
        lastCheckedAt: new Date(now),
        lastResponseTimeMs: 120,
        lastStatusCode: 200,
      })),
    );
    const cookie = c.jar.header();
    const get = async (path: string, input: unknown) => {
      const res = await t.fetch(`/internal/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      return { bytes: (await res.arrayBuffer()).byteLength, body: res };
    };
    // The whole list, as a screen without the feed would read it every few seconds: 5 pages of 100.
    let listBytes = 0;
    let cursor: string | null = null;
    let changesCursor = '';
    do {
      const page = await c.monitors.list.query({ limit: 100, cursor });
      listBytes += (await get('monitors.list', { limit: 100, cursor })).bytes;
      cursor = page.nextCursor;
      changesCursor = page.changesCursor;
    } while (cursor);
    await t.settled();
    const trips: string[] = [];
    const client = t.svc.db.$client;
    const batch = client.batch.bind(client);
    const execute = client.execute.bind(client);
    client.batch = ((...args: Parameters<typeof batch>) => (trips.push('batch'), batch(...args))) as typeof client.batch;
    client.execute = ((...args: Parameters<typeof execute>) => (trips.push('execute'), execute(...args))) as typeof client.execute;
    const poll = await get('monitors.changes', { since: changesCursor });
    client.batch = batch;
    client.execute = execute;
    expect(trips).toEqual(['batch']);
    expect(poll.bytes).toBeLessThan(200);
    expect(listBytes).toBeGreaterThan(100 * poll.bytes);
    console.log(`[figures] dashboard poll, 500 monitors, nothing changed: monitors.changes ${poll.bytes} B in 1 round trip; the whole list (5 pages of 100) ${listBytes} B`);
  });
});
