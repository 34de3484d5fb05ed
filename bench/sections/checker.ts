import http from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { recordCheck } from '../../src/checker/record.js';
import { readForCheck, runCheck } from '../../src/checker/run.js';
import { newId } from '../../src/domain/ids.js';
import { inMaintenance } from '../../src/maintenance/service.js';
import { startTarget } from '../children.js';
import { benchServices, countDb, fmt, median, pool, spread, tempDir, type PoolRun as Run, type SectionResult } from '../lib.js';
import { insertMonitors } from '../seed.js';

const CHECKS = 1000;
const CONCURRENCY = 20;
const ROUNDS = 5;
const MONITORS = 200;

const freshAgent = new http.Agent({ keepAlive: false });
function rawHttpGet(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: freshAgent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * 1,000 checks of a local target through runCheck, against the same 1,000 requests made with plain
 * fetch, interleaved round by round; the libSQL client is instrumented to count statements.
 */
export async function checkerBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const dir = tempDir('checker');
  const target = await startTarget();
  const url = `http://127.0.0.1:${target.port}/health`;
  const svc = await benchServices(join(dir, 'bench.db'));
  try {
    const accountId = newId('acc');
    await svc.db.$client.execute({ sql: `INSERT INTO accounts (id, plan) VALUES (?, 'team')`, args: [accountId] });
    const monitorIds = await insertMonitors(svc, accountId, MONITORS, { url, now: Date.now() });
    const counter = countDb(svc.db.$client);

    const check = async (i: number) => {
      const out = await runCheck(svc, monitorIds[i % MONITORS]!, { confirmDelayMs: 0 });
      if (out.kind !== 'checked' || out.verdict.status !== 'up') throw new Error(`check ${i}: ${JSON.stringify(out)}`);
    };
    const plainFetch = async () => {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`fetch: ${res.status}`);
    };
    const fresh = () => rawHttpGet(url);
    // runCheck's database work alone: the same read and the same batched write, with a canned probe result.
    const dbOnly = async (i: number) => {
      const at = svc.now();
      const m = await readForCheck(svc.db, monitorIds[i % MONITORS]!);
      const maintenance = inMaintenance(m!.windows, at);
      await recordCheck(svc, m!, { ok: true, statusCode: 200, responseTimeMs: 3, reason: null, certExpiresAt: null }, svc.now(), at, { maintenance });
    };

    // Warm-up of every path (JIT, connection pools, SQLite page cache).
    await pool(200, CONCURRENCY, check);
    await pool(200, CONCURRENCY, plainFetch);
    await pool(200, CONCURRENCY, fresh);
    await pool(200, CONCURRENCY, dbOnly);

    const ours: Run[] = [];
    const base: Run[] = [];
    const raw: Run[] = [];
    const db: Run[] = [];
    const stmtsPerCheck: number[] = [];
    const tripsPerCheck: number[] = [];
    const blockedPerCheck: number[] = [];
    let sample: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate the order so neither side always runs first.
      const order = r % 2 === 0 ? ['base', 'raw', 'db', 'ours'] : ['ours', 'db', 'raw', 'base'];
      for (const which of order) {
        if (which === 'base') base.push(await pool(CHECKS, CONCURRENCY, plainFetch));
        else if (which === 'raw') raw.push(await pool(CHECKS, CONCURRENCY, fresh));
        else if (which === 'db') db.push(await pool(CHECKS, CONCURRENCY, dbOnly));
        else {
          counter.reset();
          ours.push(await pool(CHECKS, CONCURRENCY, check));
          stmtsPerCheck.push(counter.statements / CHECKS);
          tripsPerCheck.push(counter.roundTrips / CHECKS);
          blockedPerCheck.push(counter.syncMs / CHECKS);
          counter.reset();
          await check(0);
          sample = counter.sql;
        }
      }
    }
    counter.restore();
    const [{ n: stored } = { n: 0 }] = (await svc.db.$client.execute('SELECT count(*) AS n FROM checks')).rows as unknown as { n: number }[];

    const row = (what: string, runs: Run[]) => ({
      run: what,
      'checks/s': spread(runs.map((x) => x.perSecond), 0),
      'p50 ms': spread(runs.map((x) => x.p50), 2),
      'p99 ms': spread(runs.map((x) => x.p99), 2),
      'CPU ms per check (this process)': spread(runs.map((x) => x.cpuMsPerOp), 3),
    });
    const ratio = (f: (i: number) => number) => Array.from({ length: ROUNDS }, (_, i) => f(i));
    const overheadWall = ratio((i) => (1000 / ours[i]!.perSecond - 1000 / base[i]!.perSecond) * CONCURRENCY);
    const overheadVsRaw = ratio((i) => (1000 / ours[i]!.perSecond - 1000 / raw[i]!.perSecond) * CONCURRENCY);
    const overheadCpu = ratio((i) => ours[i]!.cpuMsPerOp - base[i]!.cpuMsPerOp);
    return {
      id: 'checker',
      title: '3. Checker cost',
      method: `
${CHECKS} checks per round through \`runCheck(svc, id, { confirmDelayMs: 0 })\` (probe + one read + one batched write,
real embedded libSQL file in WAL mode), ${CONCURRENCY} at a time, over ${MONITORS} monitors (no two concurrent
checks of one monitor) all pointing at a node:http target on 127.0.0.1 in a separate process that answers 200 at once.
Baseline: the same ${CHECKS} GETs with plain \`fetch\` (undici, keep-alive pool), ${CONCURRENCY} at a time. A second
reference, "raw http.get, fresh connection", makes the same GETs with node:http and \`keepAlive: false\`, as the
probe does (it never reuses a socket, by design against DNS rebinding), to separate the cost of new connections from
the cost of our own code, and "read + recordCheck alone" runs runCheck's database work (the same prepared read of
the monitor with its maintenance windows, and the same \`recordCheck\` batch) with a canned probe result and no request. ${ROUNDS} rounds, order alternated each round; medians of the rounds.
Overhead per check (wall) = (1/ours − 1/baseline throughput) × ${CONCURRENCY}: the extra time each check holds a
concurrency slot. The logger writes to a no-op sink (JSON.stringify still runs); the scheduler is a no-op.
Statements were counted by wrapping \`svc.db.$client.execute/batch/executeMultiple/transaction\`; ${stored} checks were
stored in total.`,
      tables: [
        {
          caption: 'Throughput and latency',
          rows: [row('runCheck (ours)', ours), row('plain fetch (baseline)', base), row('raw http.get, fresh connection', raw),
            row('read + recordCheck alone, no probe', db),
          ],
        },
        {
          caption: 'Ratios and overhead (per round, then median)',
          rows: [
            { figure: 'throughput ours / plain fetch', value: spread(ratio((i) => ours[i]!.perSecond / base[i]!.perSecond), 3) },
            { figure: 'throughput ours / raw fresh-connection GET', value: spread(ratio((i) => ours[i]!.perSecond / raw[i]!.perSecond), 3) },
            { figure: 'overhead per check vs plain fetch, wall ms', value: spread(overheadWall, 2) },
            { figure: 'overhead per check vs fresh-connection GET, wall ms', value: spread(overheadVsRaw, 2) },
            { figure: 'overhead per check vs plain fetch, CPU ms', value: spread(overheadCpu, 3) },
            { figure: 'database round trips per check', value: fmt(median(tripsPerCheck), 2) },
            { figure: 'database statements per check', value: fmt(median(stmtsPerCheck), 2) },
            { figure: 'event loop blocked inside libSQL calls per check, ms (the client works off-thread)', value: spread(blockedPerCheck, 3) },
          ],
        },
      ],
      extra: `Statements of one steady-state check (an "up" monitor staying up), in order:\n\n\`\`\`sql\n${sample.map((s) => s.replace(/\s+/g, ' ').trim()).join(';\n')};\n\`\`\``,
    };
  } finally {
    svc.db.$client.close();
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
