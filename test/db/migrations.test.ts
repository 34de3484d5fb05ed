import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
