import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RollupDeltas, rollupUpsert } from '../../src/db/accrual.js';
import { HOURLY_ROLLUPS_KEPT_MS } from '../../src/domain/time.js';
import { startTestApp, type TestApp } from '../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const migration = (name: string) =>
  readFileSync(join(import.meta.dirname, '../../src/db/migrations', name), 'utf8').split('--> statement-breakpoint');

describe('0003_one_open_incident on a database that already has duplicates', () => {
  it('keeps the earliest open incident per monitor, closes the others, then enforces one', async () => {
    const u = await t.signUp();
    const m = await u.monitors.create.mutate({ name: 'x', url: 'https://example.com/' });
    const db = t.svc.db.$client;
    // The state before 0003: no index, two open incidents for one outage.
    await db.execute('DROP INDEX incidents_one_open_idx');
    for (const [id, at] of [['inc_a', 1000], ['inc_b', 2000], ['inc_c', 500]] as const) {
      await db.execute({ sql: 'INSERT INTO incidents (id, monitor_id, started_at, resolved_at, reason) VALUES (?, ?, ?, ?, ?)', args: [id, m.id, at, id === 'inc_c' ? 900 : null, 'HTTP 500'] });
    }
    for (const statement of migration('0003_one_open_incident.sql')) await db.execute(statement);

    const rows = (await db.execute({ sql: 'SELECT id, resolved_at FROM incidents WHERE monitor_id = ? ORDER BY id', args: [m.id] })).rows;
    expect(rows.map((r) => [r.id, r.resolved_at])).toEqual([['inc_a', null], ['inc_b', 2000], ['inc_c', 900]]);
    await expect(db.execute({ sql: "INSERT INTO incidents (id, monitor_id, started_at, reason) VALUES ('inc_d', ?, 3000, 'x')", args: [m.id] })).rejects.toThrow(/UNIQUE/);
  });
});

describe('0011_created_by on a database made before it', () => {
  it('names the maker of existing clients, contacts and ping URLs from the audit log', async () => {
    const u = await t.signUp();
    const client = await u.oauthClients.create.mutate({ name: 'ci' });
    const hook = await u.contacts.create.mutate({ kind: 'webhook', name: 'ops', target: 'http://127.0.0.1:9/hook' });
    const beat = await u.monitors.create.mutate({ kind: 'heartbeat', name: 'job', intervalSeconds: 3600, graceSeconds: 600 });
    const db = t.svc.db.$client;
    // The state before 0011: the columns empty (the audit rows were written all along).
    await db.execute('UPDATE oauth_clients SET created_by = NULL');
    await db.execute('UPDATE alert_contacts SET created_by = NULL');
    await db.execute('UPDATE monitors SET ping_token_created_by = NULL');
    const backfill = migration('0011_created_by.sql').filter((s) => s.includes('UPDATE'));
    expect(backfill).toHaveLength(3);
    for (const statement of backfill) await db.execute(statement);

    expect((await u.oauthClients.list.query())[0]).toMatchObject({ clientId: client.clientId, createdBy: u.user.id });
    const contacts = await u.contacts.list.query();
    expect(contacts.find((c) => c.id === hook.id)).toMatchObject({ createdBy: u.user.id });
    expect(contacts.find((c) => c.kind === 'email')).toMatchObject({ createdBy: null });
    expect(await u.monitors.get.query({ id: beat.id })).toMatchObject({ pingTokenCreatedBy: u.user.id });
  });
});

describe('0018_rollup_hour_slots on a database made before it', () => {
  it('keeps each hour slot’s newest hour and every day, and the upsert then reuses the slots', async () => {
    const u = await t.signUp();
    const m = await u.monitors.create.mutate({ name: 'x', url: 'https://example.com/' });
    const db = t.svc.db.$client;
    const H = 3_600_000;
    const h0 = Date.UTC(2026, 0, 1); // an hour whose slot a later hour, 92 days on, shares
    const h92 = h0 + HOURLY_ROLLUPS_KEPT_MS;
    // The table before 0018: one row per (monitor, grain, bucket), the hour 92 days old not yet pruned.
    await db.execute('DROP TABLE rollups');
    await db.execute(`CREATE TABLE rollups (monitor_id text NOT NULL, grain text NOT NULL, bucket_start integer NOT NULL,
      checks integer DEFAULT 0 NOT NULL, ok_checks integer DEFAULT 0 NOT NULL, total_response_ms integer DEFAULT 0 NOT NULL,
      up_ms integer DEFAULT 0 NOT NULL, down_ms integer DEFAULT 0 NOT NULL, excluded_ms integer DEFAULT 0 NOT NULL,
      PRIMARY KEY (monitor_id, grain, bucket_start), FOREIGN KEY (monitor_id) REFERENCES monitors(id) ON DELETE cascade)`);
    const rows = [['hour', h0, 5], ['hour', h92, 2], ['hour', h92 + H, 3], ['day', h0, 60], ['day', h92, 40]] as const;
    for (const [grain, start, n] of rows) {
      await db.execute({ sql: 'INSERT INTO rollups (monitor_id, grain, bucket_start, checks, up_ms) VALUES (?, ?, ?, ?, ?)', args: [m.id, grain, start, n, n * 1000] });
    }
    for (const statement of migration('0018_rollup_hour_slots.sql')) await db.execute(statement);

    const all = async () =>
      (await db.execute({ sql: 'SELECT grain, bucket_start, slot, checks, up_ms FROM rollups WHERE monitor_id = ? ORDER BY grain, bucket_start', args: [m.id] })).rows.map((r) => [
        r.grain,
        r.bucket_start,
        r.slot,
        r.checks,
        r.up_ms,
      ]);
    const slotOf = (start: number) => (start / H) % (HOURLY_ROLLUPS_KEPT_MS / H);
    expect(await all()).toEqual([
      ['day', h0, h0, 60, 60_000],
      ['day', h92, h92, 40, 40_000],
      ['hour', h92, slotOf(h0), 2, 2000],
      ['hour', h92 + H, slotOf(h0) + 1, 3, 3000],
    ]);
    // The upsert adds to an hour it finds in the slot and overwrites an older one.
    const deltas = new RollupDeltas();
    deltas.bucket('hour', h92 + H).checks = 1;
    deltas.bucket('hour', h92 + HOURLY_ROLLUPS_KEPT_MS).checks = 1;
    await db.execute(rollupUpsert(m.id, deltas)!);
    expect((await all()).filter((r) => r[0] === 'hour')).toEqual([
      ['hour', h92 + H, slotOf(h0) + 1, 4, 3000],
      ['hour', h92 + HOURLY_ROLLUPS_KEPT_MS, slotOf(h0), 1, 0],
    ]);
  });
});
