import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import * as schema from './schema.js';

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

export type DbOptions = { url: string; authToken?: string | undefined };

/** One client per process: `file:` URLs use the embedded engine, `libsql://` talks to Turso. */
export function openDb({ url, authToken }: DbOptions): Db {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  const client = createClient({ url, authToken });
  return drizzle(client, { schema }) as Db;
}

/**
 * Embedded databases: WAL lets the checker write while the API reads, and the busy timeout makes a
 * writer wait for a lock instead of failing at once when two connections write together.
 * synchronous = NORMAL (issue 19): in WAL mode a commit no longer waits for an fsync, only
 * checkpoints do. The embedded engine runs on the event loop's thread, so with FULL every check's
 * write blocked the whole process for one disk flush, and the disk, not the CPU, capped the checks
 * per second. The database stays consistent; a power loss or OS crash (not a process crash) may lose
 * the last commits, i.e. the last few checks.
 */
export async function tuneEmbedded(db: Db, url: string): Promise<void> {
  if (!url.startsWith('file:')) return;
  await db.$client.execute('PRAGMA journal_mode = WAL');
  await db.$client.execute('PRAGMA synchronous = NORMAL');
  await db.$client.execute('PRAGMA busy_timeout = 5000');
  await db.$client.execute('PRAGMA foreign_keys = ON');
}
