import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCheck } from '../../src/checker/run.js';
import { runTick, type TickSummary } from '../../src/checker/tick.js';
import { newId } from '../../src/domain/ids.js';
import { createLogger } from '../../src/log.js';
import { FanoutScheduler } from '../../src/scheduler/fanout.js';
import { LocalShardTicks } from '../../src/scheduler/local-fanout.js';
import { LocalScheduler } from '../../src/scheduler/local.js';
import { shardCountFor, shardRange } from '../../src/scheduler/shards.js';
import { startTarget } from '../children.js';
import { benchServices, fmt, quantile, tempDir, type Row, type SectionResult } from '../lib.js';
import { insertMonitors } from '../seed.js';

/** Monitor counts tried in each mode, and the measured window (one full minute: every monitor due once). */
const SIZES = (process.env.FANOUT_SIZES ?? '10000,30000').split(',').map(Number);
const WINDOW_MS = Number(process.env.FANOUT_WINDOW_MS ?? 60_000);
const PERIOD_MS = 60_000;
const GRACE_MS = 20_000;
/** The bound on lateness that counts as on time (the p99 target). */
const ON_TIME_MS = 5_000;

type Run = { mode: string; monitors: number; checked: number; missed: number; doubled: number; lateness: number[]; cpuMs: number; ticks: number; tickMs: number[] };

/**
 * One process, one embedded database, real probes to a loopback target in a process of its own:
 * `monitors` one-minute monitors, each due once in the window, checked by per-monitor timers
 * (LocalScheduler + runCheck) or by fan-out shard ticks (LocalShardTicks + runTick, shards of 1,000).
 */
async function runOnce(mode: 'per-monitor' | 'fan-out', monitors: number, targetPort: number): Promise<Run> {
  const dir = tempDir(`fanout-${mode}`);
  try {
    const svc = await benchServices(join(dir, 'vigil.db'));
    const accountId = newId('acc');
    await svc.db.$client.execute({ sql: `INSERT INTO accounts (id, plan) VALUES (?, 'team')`, args: [accountId] });
    const start = Date.now() + 10_000;
    // Last checked at evenly spread moments of the minute before `start`: each is due once in [start, start + 60 s).
    const lastCheckedAt = (i: number) => start - PERIOD_MS + Math.floor(((i + 0.5) * PERIOD_MS) / monitors);
    const ids = await insertMonitors(svc, accountId, monitors, { url: `http://127.0.0.1:${targetPort}/health`, intervalSeconds: 60, now: start - PERIOD_MS, lastCheckedAt });
    await svc.db.$client.execute('UPDATE monitors SET accrued_until = (SELECT max(c.checked_at) FROM checks c WHERE c.monitor_id = monitors.id)');
    const log = createLogger(() => undefined);
    const lateness: number[] = [];
    const tickMs: number[] = [];
    let ticks = 0;
    let stop: () => Promise<void>;
    const cpu0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, Math.max(0, start - Date.now())));
    if (mode === 'per-monitor') {
      const s = new LocalScheduler(log);
      s.attach(async (id, dueAt) => {
        // Only what falls due in the window is measured: the next minute's first checks are not.
        if (dueAt >= start + WINDOW_MS) return;
        lateness.push(Date.now() - dueAt);
        await runCheck(svc, id);
      });
      for (let i = 0; i < ids.length; i++) await s.create({ monitorId: ids[i]!, intervalSeconds: 60, enabled: true, lastCheckedAt: lastCheckedAt(i) });
      stop = async () => {
        s.stop();
        await s.idle();
      };
    } else {
      // The steady state: after its first tick, a shard's monitors are due at its tick's phase (a
      // check due later in the tick's minute runs in that tick, early: ADR 0015). LocalShardTicks
      // starts shard i at i/n of the minute.
      const n = shardCountFor(monitors, 1000, 0);
      for (let i = 0; i < n; i++) {
        const { from, to } = shardRange(i, n);
        await svc.db.$client.execute({
          sql: 'UPDATE monitors SET next_check_at = ? WHERE id >= ? AND id < ?',
          args: [start + Math.floor((i * PERIOD_MS) / n), from ?? '', to ?? '\u{10FFFF}'],
        });
      }
      const shards = new LocalShardTicks(log);
      const ticked = new Set<number>();
      shards.attach({
        check: async () => undefined,
        tick: async (shard, count, dueAt) => {
          // Each shard's first tick is the measured one: the timers start when the rebalance runs,
          // a moment after `start`, so the last shard's first tick may fall just past the window.
          if (ticked.has(shard)) return;
          ticked.add(shard);
          const summary: TickSummary = await runTick(svc, shard, count, { dueAt });
          ticks++;
          tickMs.push(summary.ms);
          lateness.push(...summary.lateness);
        },
      });
      const fanout = new FanoutScheduler({ db: svc.db, now: Date.now, shardSize: 1000, shards, runNow: async () => undefined });
      await fanout.rebalance({ repair: true });
      stop = async () => {
        shards.stop();
        await shards.idle();
      };
    }
    // A check due near the window's end may start up to the on-time bound after it: it counts (and
    // its lateness says whether it was on time); stopping at the window's end called it missed.
    await new Promise((r) => setTimeout(r, start + WINDOW_MS + ON_TIME_MS - Date.now()));
    await stop();
    const cpu = process.cpuUsage(cpu0);
    await new Promise((r) => setTimeout(r, 100));
    const rows = (await svc.db.$client.execute({ sql: 'SELECT monitor_id, count(*) AS n FROM checks WHERE checked_at >= ? GROUP BY monitor_id', args: [start] })).rows;
    const checked = rows.reduce((a, r) => a + Number(r.n), 0);
    const doubled = rows.reduce((a, r) => a + Math.max(0, Number(r.n) - 1), 0);
    svc.db.$client.close();
    return { mode, monitors, checked, missed: monitors - rows.length, doubled, lateness, cpuMs: (cpu.user + cpu.system) / 1000, ticks, tickMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Local capacity in both check modes (ADR 0015). */
export async function fanoutBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const target = await startTarget();
  const runs: Run[] = [];
  try {
    for (const monitors of SIZES) {
      for (const mode of ['per-monitor', 'fan-out'] as const) {
        runs.push(await runOnce(mode, monitors, target.port));
        await new Promise((r) => setTimeout(r, GRACE_MS / 4));
      }
    }
  } finally {
    await target.stop();
  }
  const rows: Row[] = runs.map((r) => ({
    mode: r.mode,
    monitors: fmt(r.monitors, 0),
    'checks in the minute': fmt(r.checked, 0),
    'lateness p50 / p99 / max, s': `${fmt(quantile(r.lateness, 0.5) / 1000, 2)} / ${fmt(quantile(r.lateness, 0.99) / 1000, 2)} / ${fmt(Math.max(...r.lateness) / 1000, 2)}`,
    'missed / doubled': `${fmt(r.missed, 0)} / ${fmt(r.doubled, 0)}`,
    'CPU ms per check': fmt(r.cpuMs / Math.max(1, r.checked), 2),
    'ticks (p50 ms)': r.mode === 'fan-out' ? `${r.ticks} (${fmt(quantile(r.tickMs, 0.5), 0)})` : '—',
    'on time': quantile(r.lateness, 0.99) <= ON_TIME_MS && r.missed === 0 && r.doubled === 0 ? 'yes' : 'no',
  }));
  return {
    id: 'fanout',
    title: '12. Local capacity in both check modes',
    method: `
One process (this bench's), one embedded libSQL file, real HTTP probes to a node:http target on 127.0.0.1 in a
process of its own; per size and mode a fresh database with that many one-minute HTTP monitors of one Team account,
each last checked at an evenly spread moment of the minute before the start, so each is due exactly once in the
measured minute (${WINDOW_MS / 1000} s of real time: the clock is not scaled). **per-monitor**: \`LocalScheduler\`
(one timer per monitor) calling \`runCheck\`; lateness is a check's start minus its due time. **fan-out**: shards of
1,000 (\`FanoutScheduler.rebalance\`), one \`LocalShardTicks\` timer per shard spread over the minute, each tick
\`runTick\` (one read, 50 probes in flight, one batch); lateness is a check's start minus the earlier of its due time
and its tick's (a check due later in the tick's minute is checked early, by design: ADR 0015); the monitors are
seeded in that steady state, each shard's due at its tick's phase. What falls due after the window is skipped, and
the run goes on ${ON_TIME_MS / 1000} s past it, so a check due at its very end can still start (its lateness then says whether it was on time). Missed: monitors with no
check in the minute; doubled: checks beyond one per monitor. On time = p99 ≤ 5 s, none missed, none doubled. CPU is
this process's (user + system) over the window; the machine is shared with other work, so treat the figures as a
floor. Sizes: FANOUT_SIZES (default ${SIZES.join(', ')}).`,
    tables: [{ caption: 'one-minute monitors kept on time by one process', rows }],
  };
}
