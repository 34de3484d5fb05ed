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
  if (url.startsWith('file:')) recoverFromStaleStatements(client);
  return drizzle(client, { schema }) as Db;
}

/**
 * The embedded client (@libsql/client 0.18, sqlite3.js) leaves a batch's failed write statement
 * un-reset (SQLITE_BUSY under a lock held too long): until the garbage collector finalizes it,
 * every later batch on that pooled connection fails its COMMIT with "SQL statements in progress",
 * reads included. Such a batch was rolled back whole, so it is run again once on fresh connections
 * (tuned like every connection, below).
 */
function recoverFromStaleStatements(client: Client): void {
  const batch = client.batch.bind(client);
  client.batch = (async (...args: Parameters<Client['batch']>) => {
    try {
      return await batch(...args);
    } catch (error) {
      if (!/cannot commit transaction - SQL statements in progress/.test(String(error))) throw error;
      await client.reconnect();
      return batch(...args);
    }
  }) as Client['batch'];
}

const EMBEDDED_PRAGMAS = ['PRAGMA journal_mode = WAL', 'PRAGMA synchronous = NORMAL', 'PRAGMA busy_timeout = 5000', 'PRAGMA foreign_keys = ON'];

type PooledConnection = { exec(sql: string): unknown };
type Pool = { prototype: { acquireSync(...args: unknown[]): unknown } };
const tuned = new WeakSet<PooledConnection>();
let tuning: Promise<void> | undefined;

/**
 * The embedded client keeps a pool of connections and opens another whenever two calls overlap;
 * busy_timeout, synchronous and foreign_keys are per connection, so each connection is tuned the
 * first time the pool hands it out. The pool's `acquireSync` serves every borrow (reconnects
 * included), so it is the one place to hook; installed once per process. The module is named in a
 * variable so that bundlers leave it out: Lambda bundles carry the HTTP client only.
 */
function tuneEveryConnection(): Promise<void> {
  const embeddedClient = '@libsql/client/sqlite3';
  tuning ??= (import(embeddedClient) as Promise<{ ConnectionPool: Pool }>).then(({ ConnectionPool }) => {
    const acquire = ConnectionPool.prototype.acquireSync;
    ConnectionPool.prototype.acquireSync = function (this: unknown, ...args: unknown[]) {
      const db = acquire.apply(this, args) as PooledConnection;
      if (!tuned.has(db)) {
        for (const pragma of EMBEDDED_PRAGMAS) db.exec(pragma);
        tuned.add(db);
      }
      return db;
    };
  });
  return tuning;
}

/**
 * Embedded databases: WAL lets the checker write while the API reads, and the busy timeout makes a
 * writer wait for a lock instead of failing at once when two connections write together.
 * synchronous = NORMAL: in WAL mode a commit no longer waits for an fsync, only checkpoints do. The
 * embedded engine runs on the event loop's thread, so with FULL every check's write blocked the
 * whole process for one disk flush, and the disk, not the CPU, capped the checks per second. The
 * database stays consistent; a power loss or OS crash (not a process crash) may lose the last
 * commits, i.e. the last few checks. Every connection of every embedded client gets them.
 */
export async function tuneEmbedded(db: Db, url: string): Promise<void> {
  if (!url.startsWith('file:')) return;
  await tuneEveryConnection();
  // The connection createClient opened before the hook existed is tuned on this, its next borrow.
  await db.$client.execute('SELECT 1');
}
