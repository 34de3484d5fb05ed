import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, tuneEmbedded } from '../../src/db/client.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-connections-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded client tunes every connection it opens, not only the first', () => {
  it('busy_timeout, synchronous and foreign_keys hold on each of several pooled connections', async () => {
    const url = `file:${join(dir, 'pool.db')}`;
    const db = openDb({ url });
    await tuneEmbedded(db, url);
    const client = db.$client;
    // An open transaction holds one connection; calls made meanwhile in one tick each borrow
    // another, so the pool opens fresh ones.
    const held = await client.transaction('write');
    try {
      const read = (pragma: string) => Promise.all(Array.from({ length: 4 }, () => client.execute(`PRAGMA ${pragma}`)));
      const [busy, sync, fk, mode] = await Promise.all([read('busy_timeout'), read('synchronous'), read('foreign_keys'), read('journal_mode')]);
      expect(busy.map((r) => Number(Object.values(r.rows[0]!)[0]))).toEqual([5000, 5000, 5000, 5000]);
      expect(sync.map((r) => Number(Object.values(r.rows[0]!)[0]))).toEqual([1, 1, 1, 1]); // NORMAL
      expect(fk.map((r) => Number(Object.values(r.rows[0]!)[0]))).toEqual([1, 1, 1, 1]);
      expect(mode.map((r) => String(Object.values(r.rows[0]!)[0]))).toEqual(['wal', 'wal', 'wal', 'wal']);
      // The transaction's own connection, opened by the pool like the others.
      expect(Number(Object.values((await held.execute('PRAGMA busy_timeout')).rows[0]!)[0])).toBe(5000);
    } finally {
      await held.rollback();
    }
    // A second client on the same file (another process's view: plan:set, migrations) is tuned too.
    const other = openDb({ url });
    await tuneEmbedded(other, url);
    const both = await Promise.all([other.$client.execute('PRAGMA busy_timeout'), other.$client.execute('PRAGMA foreign_keys')]);
    expect(both.map((r) => Number(Object.values(r.rows[0]!)[0]))).toEqual([5000, 1]);
    client.close();
    other.$client.close();
  });
});
