import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCheck } from '../../src/checker/run.js';
import { newId } from '../../src/domain/ids.js';
import { startTarget } from '../children.js';
import { benchServices, countDb, fmt, median, pool, spread, tempDir, type PoolRun, type SectionResult } from '../lib.js';
import { insertMonitors } from '../seed.js';

const CHECKS = 500;
const CONCURRENCY = 20;
const ROUNDS = 3;
const MONITORS = 100;
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-1'];

type Run = PoolRun & { statements: number };

/**
 * The checker's own cost of checking from three regions against one, locally: the same target
 * (a node:http server on 127.0.0.1 in another process), the other two regions in-process probes
 * (src/probes/local-regions.ts) probing it for real, so each three-region check makes three
 * requests, decides by the quorum, and writes the per-region rollups. Interleaved rounds, medians.
 */
export async function regionsBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const dir = tempDir('regions');
  const target = await startTarget();
  const url = `http://127.0.0.1:${target.port}/health`;
  const svc = await benchServices(join(dir, 'bench.db'), { env: { CHECK_REGIONS: REGIONS.join(',') } });
  try {
    const accountId = newId('acc');
    await svc.db.$client.execute({ sql: `INSERT INTO accounts (id, plan) VALUES (?, 'team')`, args: [accountId] });
    const one = await insertMonitors(svc, accountId, MONITORS, { url, now: Date.now() });
    const three = await insertMonitors(svc, accountId, MONITORS, { url, now: Date.now() });
    for (const id of three) await svc.db.$client.execute({ sql: 'UPDATE monitors SET regions = ? WHERE id = ?', args: [JSON.stringify(REGIONS), id] });
    const counter = countDb(svc.db.$client);

    const run = async (ids: string[], regions: number): Promise<Run> => {
      counter.reset();
      const r = await pool(CHECKS, CONCURRENCY, async (i) => {
        const out = await runCheck(svc, ids[i % MONITORS]!, { confirmDelayMs: 0 });
        if (out.kind !== 'checked' || out.verdict.status !== 'up' || (out.result.regions?.length ?? 1) !== regions) throw new Error(`check ${i}: ${JSON.stringify(out)}`);
      });
      return { ...r, statements: counter.statements / CHECKS };
    };

    await run(one, 1);
    await run(three, 3);
    const single: Run[] = [];
    const multi: Run[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        single.push(await run(one, 1));
        multi.push(await run(three, 3));
      } else {
        multi.push(await run(three, 3));
        single.push(await run(one, 1));
      }
    }
    counter.restore();
    const row = (what: string, runs: Run[]) => ({
      run: what,
      'checks/s': spread(runs.map((x) => x.perSecond), 0),
      'p50 wall ms per check': spread(runs.map((x) => x.p50), 2),
      'p99 wall ms per check': spread(runs.map((x) => x.p99), 2),
      'CPU ms per check (this process)': spread(runs.map((x) => x.cpuMsPerOp), 3),
      'statements per check': fmt(median(runs.map((x) => x.statements)), 2),
    });
    const ratio = Array.from({ length: ROUNDS }, (_, i) => multi[i]!.cpuMsPerOp / single[i]!.cpuMsPerOp);
    return {
      id: 'regions',
      title: '3b. Checking from three regions (local probes)',
      method: `
${CHECKS} checks per round through \`runCheck\`, ${CONCURRENCY} at a time, over ${MONITORS} monitors checked from home only and
${MONITORS} checked from ${REGIONS.join(', ')} (CHECK_REGIONS; home eu-west-1), all of the same node:http target on
127.0.0.1 in another process. The two other regions are the in-process probes of local mode, probing the target for
real, so a three-region check is three requests at once, the quorum's decision, and one batched write with the
per-region results and the per-region rollups. Embedded libSQL in WAL mode; ${ROUNDS} rounds, order alternated; medians.
On AWS the other regions' probes run in their own Lambdas: the home checker's CPU then holds one probe and two
\`Invoke\` calls instead of three probes, and its wall time gains the slowest region's round trip (docs/SCALE.md §10).`,
      tables: [
        { caption: 'One region against three', rows: [row('1 region', single), row('3 regions (local probes)', multi)] },
        { caption: 'Ratio', rows: [{ figure: 'CPU per check, 3 regions / 1 region', value: spread(ratio, 2) }] },
      ],
    };
  } finally {
    svc.db.$client.close();
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
