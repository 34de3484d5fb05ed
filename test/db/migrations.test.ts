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
