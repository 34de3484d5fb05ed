import { join } from 'node:path';
import type { Client, InStatement } from '@libsql/client';
import { prune } from '../../src/checker/prune.js';
import { recordCheck } from '../../src/checker/record.js';
import { readForCheck } from '../../src/checker/run.js';
import { runTick } from '../../src/checker/tick.js';
import { DAY_MS, MINUTE_MS } from '../../src/domain/time.js';
import { newId } from '../../src/domain/ids.js';
import type { ProbeResult } from '../../src/probes/result.js';
import { startTarget } from '../children.js';
import { benchServices, fmt, tempDir, type SectionResult } from '../lib.js';
import { insertMonitors } from '../seed.js';

/** 26 hours of one-minute checks per monitor, from 00:30 UTC: every hour of a day and one midnight are crossed. */
const CHECKS_PER_MONITOR = 26 * 60;
const MONITORS = 5;
/** A Free account keeps 30 days: prune runs this far past the checks, so it deletes every one. */
const PRUNE_AFTER_MS = 40 * DAY_MS;

const UP: ProbeResult = { ok: true, statusCode: 200, responseTimeMs: 42, reason: null, certExpiresAt: null };
const DOWN: ProbeResult = { ok: false, statusCode: 503, responseTimeMs: 42, reason: 'HTTP 503', certExpiresAt: null };

/**
 * Rows written by every batch run through `client` (and every single statement too, with
 * `executes`: a prune's deletes), triggers included, as SQLite's total_changes() counts them; and
 * the round trips and statements of every call.
 */
function countRowsWritten(client: Client, opts: { executes?: boolean } = {}) {
  const counter = { rows: 0, roundTrips: 0, statements: 0 };
  const batch = client.batch.bind(client);
  const execute = client.execute.bind(client);
  const around = async (stmts: InStatement[], mode?: Parameters<Client['batch']>[1]) => {
    // total_changes() is per connection: read in the same batch, the same connection and transaction.
    const results = await batch(['SELECT total_changes()', ...stmts, 'SELECT total_changes()'], mode);
    counter.rows += Number(results.at(-1)!.rows[0]![0]) - Number(results[0]!.rows[0]![0]);
    return results.slice(1, -1);
  };
  client.batch = ((stmts: InStatement[], mode?: Parameters<Client['batch']>[1]) => {
    counter.roundTrips++;
    counter.statements += stmts.length;
    return around(stmts, mode);
  }) as Client['batch'];
  client.execute = (async (stmt: InStatement) => {
    counter.roundTrips++;
    counter.statements++;
    return opts.executes ? (await around([stmt], 'write'))[0]! : execute(stmt);
  }) as Client['execute'];
  return { counter, restore: () => Object.assign(client, { batch, execute }) };
}

/**
 * Rows written per check with the real write path and real libSQL (an embedded file): each
 * scenario records CHECKS_PER_MONITOR one-minute checks of MONITORS monitors the way runCheck does
 * (its read, then recordCheck guarded), on a moved clock, and counts what SQLite reports changed
 * (total_changes(), read inside each batch: the check, the monitor row and what its triggers write,
 * every rollup row an upsert inserts or updates). Then prune runs past the Free plan's 30 days and
 * its deletes are counted the same way. Turso bills a row written per row changed; whether a
 * DELETE's row counts is (verify) on Turso's bill, so the totals include it.
 */
export async function rowsBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const dir = tempDir('rows');
  const start = Date.UTC(2026, 0, 1, 0, 30);
  let now = start;
  const svc = await benchServices(join(dir, 'rows.db'), { now: () => now });
  const accountId = newId('acc');
  await svc.db.$client.execute({ sql: `INSERT INTO accounts (id, plan) VALUES (?, 'free')`, args: [accountId] });

  const scenario = async (name: string, resultAt: (i: number) => ProbeResult) => {
    const ids = await insertMonitors(svc, accountId, MONITORS, { now: start - MINUTE_MS, intervalSeconds: 60 });
    // One first check each, not counted: a new monitor's pending → up (or down) is a change.
    now = start - MINUTE_MS;
    for (const id of ids) await recordCheck(svc, (await readForCheck(svc.db, id))!, resultAt(-1), now);
    const rows = countRowsWritten(svc.db.$client);
    let changes = 0;
    try {
      for (let i = 0; i < CHECKS_PER_MONITOR; i++) {
        now = start + i * MINUTE_MS;
        for (const id of ids) {
          const monitor = (await readForCheck(svc.db, id))!;
          const verdict = await recordCheck(svc, monitor, resultAt(i), now, now, { guarded: true });
          if (verdict.changed) changes++;
        }
      }
    } finally {
      rows.restore();
    }
    const checks = CHECKS_PER_MONITOR * MONITORS;
    return { name, checks, changes, rowsWritten: rows.counter.rows, roundTrips: rows.counter.roundTrips, statements: rows.counter.statements };
  };

  /**
   * Fan-out mode (ADR 0015): the same monitors checked by one shard's ticks (`runTick`: its read,
   * real probes of a loopback target, one batch), one tick a minute; the counters see the tick's
   * read and batch. Only this scenario's monitors have a next_check_at, so only they are due.
   */
  const fanout = async (name: string, targetPort: number) => {
    // A Team account: one-minute checks (a Free account's floor is five minutes).
    const teamId = newId('acc');
    await svc.db.$client.execute({ sql: `INSERT INTO accounts (id, plan) VALUES (?, 'team')`, args: [teamId] });
    const ids = await insertMonitors(svc, teamId, MONITORS, { url: `http://127.0.0.1:${targetPort}/health`, now: start - MINUTE_MS, intervalSeconds: 60, lastCheckedAt: () => start - MINUTE_MS });
    const placeholders = ids.map(() => '?').join(', ');
    await svc.db.$client.execute({ sql: `UPDATE monitors SET next_check_at = ? WHERE id IN (${placeholders})`, args: [start, ...ids] });
    const rows = countRowsWritten(svc.db.$client);
    let checks = 0;
    try {
      for (let i = 0; i < CHECKS_PER_MONITOR; i++) {
        now = start + i * MINUTE_MS;
        const tick = await runTick(svc, 0, 1, { dueAt: now, confirmDelayMs: 0 });
        checks += tick.up + tick.down;
        if (tick.due !== MONITORS || tick.dropped !== 0) throw new Error(`tick ${i}: ${JSON.stringify(tick)}`);
      }
    } finally {
      rows.restore();
    }
    await svc.db.$client.execute({ sql: `UPDATE monitors SET next_check_at = NULL WHERE id IN (${placeholders})`, args: ids });
    return { name, checks, changes: 0, rowsWritten: rows.counter.rows, roundTrips: rows.counter.roundTrips, statements: rows.counter.statements };
  };

  const target = await startTarget();
  let fanoutUp;
  try {
    fanoutUp = await fanout(`steady up, fan-out (${MONITORS} monitors a tick)`, target.port);
  } finally {
    await target.stop();
  }
  const steadyUp = await scenario('steady up', () => UP);
  const steadyDown = await scenario('steady down', () => DOWN);
  const flapping = await scenario('a state change every check (up, down, up…)', (i) => (i % 2 === 0 ? DOWN : UP));

  // Prune, far past the checks: everything recorded above is older than a Free account keeps.
  now = start + PRUNE_AFTER_MS;
  const pruneRows = countRowsWritten(svc.db.$client, { executes: true });
  let pruned;
  try {
    pruned = await prune(svc);
  } finally {
    pruneRows.restore();
  }
  svc.db.$client.close();
  // Per check deleted (the fan-out scenario's Team checks are kept: 365 days).
  const prunePerCheck = pruneRows.counter.rows / Math.max(1, pruned.deleted);

  const row = (s: Awaited<ReturnType<typeof scenario>>) => ({
    scenario: s.name,
    checks: s.checks.toLocaleString('en'),
    'status changes': s.changes.toLocaleString('en'),
    'round trips per check': fmt(s.roundTrips / s.checks, 2),
    'statements per check': fmt(s.statements / s.checks, 2),
    'rows written per check (batch)': fmt(s.rowsWritten / s.checks, 3),
    'with prune’s delete': fmt(s.rowsWritten / s.checks + prunePerCheck, 3),
  });
  return {
    id: 'rows',
    title: 'Rows written per check (Turso bills rows written)',
    method: `Real write path (\`readForCheck\` then \`recordCheck\`, guarded, as \`runCheck\` does; no probe), embedded libSQL file, ${MONITORS} one-minute monitors × ${CHECKS_PER_MONITOR.toLocaleString('en')} checks (26 hours from 00:30 UTC on a moved clock, so every hour boundary and one midnight are crossed) per scenario. Rows written = SQLite's \`total_changes()\` read inside each batch (triggers and upserts included). Prune then runs ${PRUNE_AFTER_MS / DAY_MS} days later on a Free account (30 days kept) and deletes all ${pruned.deleted.toLocaleString('en')} checks of its monitors: its rows per deleted check are added in the last column. Round trips and statements are per check, the read included. The fan-out row: ${MONITORS} one-minute monitors of a Team account checked by one shard's \`runTick\` a minute (its read, real probes of a loopback target, one batch for all), no claim written (ADR 0015); its round trips are per check at ${MONITORS} monitors a tick (a tick is 2 round trips whatever its size).`,
    tables: [{ rows: [row(steadyUp), row(steadyDown), row(flapping), row(fanoutUp)] }],
    extra: `Prune: ${pruned.deleted.toLocaleString('en')} checks deleted in ${pruned.statements} statements, ${pruneRows.counter.rows.toLocaleString('en')} rows written (${fmt(prunePerCheck, 3)} per check).`,
  };
}
