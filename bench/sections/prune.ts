import { copyFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { prune } from '../../src/checker/prune.js';
import { DAY_MS } from '../../src/domain/time.js';
import { newId } from '../../src/domain/ids.js';
import { benchServices, fmt, quantile, tempDir, type SectionResult } from '../lib.js';
import { insertMonitors } from '../seed.js';

/** The figure; override for a quick run: PRUNE_ROWS=200000 npm run bench -- prune */
const ROWS = Number(process.env.PRUNE_ROWS ?? 10_000_000);
const MONITORS = 1_000;
/** Checks span this many days, so a Free account's prune (30 days kept) deletes about half. */
const SPAN_DAYS = 60;
const WRITE_EVERY_MS = 20;

/** A second connection recording a check every `every` ms until told to stop, then its waits. */
const WRITER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createClient } = require('@libsql/client');
const { file, monitorId, now, every } = workerData;
const db = createClient({ url: 'file:' + file });
const waits = [];
let stop = false;
parentPort.on('message', () => { stop = true; });
(async () => {
  await db.execute('PRAGMA busy_timeout = 60000');
  parentPort.postMessage('ready');
  while (!stop) {
    const started = performance.now();
    await db.execute({ sql: 'INSERT INTO checks (monitor_id, checked_at, ok, status_code, response_time_ms) VALUES (?, ?, 1, 200, 10)', args: [monitorId, now] });
    waits.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, every));
  }
  db.close();
  parentPort.postMessage(waits);
})();
`;

/**
 * Retention on a large table: ROWS raw checks of one Free account's MONITORS monitors over
 * SPAN_DAYS days. The baseline is the prune this replaced (one DELETE per plan for everything past
 * the cutoff, then a full-table orphan scan), run on a copy of the same file in the same run. During
 * each, a second connection records a check every WRITE_EVERY_MS ms, as the checker does: how long
 * such a write waits is what a long DELETE costs everyone else.
 */
export async function pruneBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const dir = tempDir('prune');
  const dbFile = join(dir, 'chunked.db');
  const now = Date.now();
  const svc = await benchServices(dbFile, { now: () => now });
  const accountId = newId('acc');
  await svc.db.$client.execute({ sql: `INSERT INTO accounts (id, plan) VALUES (?, 'free')`, args: [accountId] });
  const ids = await insertMonitors(svc, accountId, MONITORS, { now });
  const perMonitor = Math.floor(ROWS / MONITORS);
  const step = Math.floor((SPAN_DAYS * DAY_MS) / perMonitor);
  const t0 = Date.now();
  for (let i = 0; i < ids.length; i += 50) {
    await svc.db.$client.batch(
      ids.slice(i, i + 50).map((id) => ({
        sql: `WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < ?)
              INSERT INTO checks (monitor_id, checked_at, ok, status_code, response_time_ms) SELECT ?, ? - n * ?, 1, 200, 10 FROM k`,
        args: [perMonitor - 1, id, now, step],
      })),
      'write',
    );
  }
  const seedSeconds = (Date.now() - t0) / 1000;
  await svc.db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  svc.db.$client.close();
  const baselineFile = join(dir, 'baseline.db');
  copyFileSync(dbFile, baselineFile);

  /** Times every statement sent through `client` while `run` runs: the longest one holds the write lock longest. */
  const timed = (client: Client) => {
    const statementMs: number[] = [];
    const execute = client.execute.bind(client);
    client.execute = (async (stmt: Parameters<Client['execute']>[0]) => {
      const t = performance.now();
      try {
        return await execute(stmt);
      } finally {
        statementMs.push(performance.now() - t);
      }
    }) as Client['execute'];
    return { statementMs, restore: () => Object.assign(client, { execute }) };
  };

  const measure = async (file: string, client: Client, run: () => Promise<{ deleted: number; statements: number; largestDelete: number }>) => {
    // The writer runs on its own thread: a local libSQL call blocks the thread that makes it, as
    // the checker and the API are other processes on a real deployment.
    const writer = new Worker(WRITER, { eval: true, workerData: { file, monitorId: ids[0], now, every: WRITE_EVERY_MS } });
    await new Promise((r) => writer.once('message', r)); // connected and writing
    const clock = timed(client);
    const started = performance.now();
    const r = await run().finally(clock.restore);
    const seconds = (performance.now() - started) / 1000;
    const waits = await new Promise<number[]>((resolve) => {
      writer.once('message', resolve);
      writer.postMessage('stop');
    });
    await writer.terminate();
    return { ...r, seconds, waits, longestStatementMs: Math.max(...clock.statementMs) };
  };

  const chunkedSvc = await benchServices(dbFile, { now: () => now });
  const chunked = await measure(dbFile, chunkedSvc.db.$client, () => prune(chunkedSvc));
  chunkedSvc.db.$client.close();

  const old = createClient({ url: `file:${baselineFile}` });
  await old.execute('PRAGMA busy_timeout = 60000');
  const baseline = await measure(baselineFile, old, () => oldPrune(old, now - 30 * DAY_MS));
  old.close();

  const row = (name: string, r: typeof chunked) => ({
    prune: name,
    'rows deleted': r.deleted.toLocaleString('en'),
    statements: String(r.statements),
    'largest DELETE (rows)': r.largestDelete.toLocaleString('en'),
    'longest statement ms': fmt(r.longestStatementMs),
    'total s': fmt(r.seconds),
    'checks written meanwhile': String(r.waits.length),
    'write wait p50 ms': fmt(quantile(r.waits, 0.5)),
    'write wait p99 ms': fmt(quantile(r.waits, 0.99)),
    'write wait max ms': fmt(Math.max(...r.waits)),
    // A check is on time when it is written within the lateness the fan-out bench allows (5 s).
    'checks written on time': `${r.waits.filter((w) => w <= 5_000).length} of ${r.waits.length}`,
  });
  return {
    id: 'prune',
    title: 'Retention: chunked prune against the whole-cutoff DELETE',
    method: `${ROWS.toLocaleString('en')} raw checks (${MONITORS} monitors × ${perMonitor.toLocaleString('en')}, one Free account, over ${SPAN_DAYS} days; seeded in ${fmt(seedSeconds)} s), embedded file. The baseline is the prune this replaced (one DELETE for everything past the cutoff, then \`NOT IN\` over every row), run on a byte copy of the same file in the same run. Meanwhile a second connection writes a check every ${WRITE_EVERY_MS} ms; "write wait" is how long each took.`,
    tables: [{ rows: [row('chunked (src/checker/prune.ts)', chunked), row('baseline: one DELETE + orphan scan', baseline)] }],
    extra: `Longest write wait, baseline / chunked: ${fmt(Math.max(...baseline.waits) / Math.max(...chunked.waits))}×.`,
  };
}

/** The prune that chunking replaced, as it was, for the baseline. */
async function oldPrune(db: Client, cutoff: number) {
  const a = await db.execute({
    sql: `DELETE FROM checks WHERE checked_at < ? AND monitor_id IN (SELECT m.id FROM monitors m JOIN accounts a ON a.id = m.account_id WHERE a.plan = 'free')`,
    args: [cutoff],
  });
  const b = await db.execute('DELETE FROM checks WHERE monitor_id NOT IN (SELECT id FROM monitors)');
  return { deleted: a.rowsAffected + b.rowsAffected, statements: 2, largestDelete: a.rowsAffected };
}
