import { readFileSync, rmSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { newId } from '../../src/domain/ids.js';
import { startChild, startTarget } from '../children.js';
import type { LocalModeResult } from '../local-mode.js';
import { benchServices, fmt, quantile, ROOT, tempDir, type SectionResult } from '../lib.js';
import { insertMonitors } from '../seed.js';

/** The figures; override for a quick smoke run: SCALE_MONITORS=500 SCALE_SECONDS=20 npm run bench -- scale */
const MONITORS = Number(process.env.SCALE_MONITORS ?? 10_000);
const SECONDS = Number(process.env.SCALE_SECONDS ?? 180);
const INTERVAL_SECONDS = 60;
const GRACE_SECONDS = 15;

const MB = 2 ** 20;
const bytesOf = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};
/** The database file with its WAL and shared-memory index. */
const dbBytes = (dbFile: string) => bytesOf(dbFile) + bytesOf(`${dbFile}-wal`) + bytesOf(`${dbFile}-shm`);

/**
 * issue 19: how far one machine goes. `npm start`'s local mode (bench/local-mode.ts) with MONITORS
 * monitors at 1-minute intervals against a loopback target, measured over SECONDS.
 */
export async function scaleBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const dir = tempDir('scale');
  const dbFile = join(dir, 'vigil.db');
  const target = await startTarget();
  try {
    // Seed: one Team account, MONITORS monitors, last checked at evenly spread moments of the past
    // minute, as a running instance leaves them when it restarts.
    const svc = await benchServices(dbFile);
    const accountId = newId('acc');
    await svc.db.$client.execute({ sql: `INSERT INTO accounts (id, plan) VALUES (?, 'team')`, args: [accountId] });
    const now = Date.now();
    const period = INTERVAL_SECONDS * 1000;
    const t0 = Date.now();
    await insertMonitors(svc, accountId, MONITORS, {
      url: `http://127.0.0.1:${target.port}/health`,
      intervalSeconds: INTERVAL_SECONDS,
      now,
      lastCheckedAt: (i) => now - period + Math.floor(((i + 0.5) * period) / MONITORS),
    });
    // Their uptime accrued up to that check, as recordCheck leaves it (else the first check of each
    // would accrue the 30 days since statusSince into a thousand rollup rows).
    await svc.db.$client.execute('UPDATE monitors SET accrued_until = (SELECT max(checked_at) FROM checks WHERE monitor_id = monitors.id)');
    const seedSeconds = (Date.now() - t0) / 1000;
    svc.db.$client.close();
    const bytesBefore = dbBytes(dbFile);

    const outFile = join(dir, 'result.json');
    const logFile = join(dir, 'vigil.log');
    // SCALE_CPU_PROF=<dir> writes the local mode's V8 CPU profile there (node --cpu-prof).
    const prof = process.env.SCALE_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.SCALE_CPU_PROF] : [];
    const node = await startChild(process.execPath, [...prof, '--import', 'tsx', join(ROOT, 'bench/local-mode.ts'), dbFile, outFile, logFile], {
      SCALE_WINDOW_MS: String(SECONDS * 1000),
      SCALE_GRACE_MS: String(GRACE_SECONDS * 1000),
    });
    const code = await new Promise<number | null>((resolve) => node.child.once('exit', resolve));
    if (code !== 0) throw new Error(`local mode exited with ${code}`);
    const r = JSON.parse(readFileSync(outFile, 'utf8')) as LocalModeResult;
    const bytesAfter = dbBytes(dbFile);

    const db = createClient({ url: `file:${dbFile}` });
    const count = async (table: string) => Number((await db.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
    const checkRows = await count('checks');
    const rollupRows = await count('rollups');
    db.close();

    // The checks due inside the window [start, end): how late each started, and how many each monitor had.
    const end = r.windowStart + r.windowMs;
    const inWindow = r.fires.filter((f) => f.dueAt >= r.windowStart && f.dueAt < end);
    const lateness = inWindow.map((f) => f.startedAt - f.dueAt);
    const durations = inWindow.map((f) => f.ms);
    const lateBy = (s: number) => inWindow.filter((f) => f.startedAt - f.dueAt > s * 1000).length;
    // A monitor's due times share one phase (mod the period): from any of its fires, the number of
    // due times inside the window follows; fewer fires is a missed check, more (or a due time twice) a double.
    const byMonitor = new Map<string, number[]>();
    for (const f of r.fires) {
      const dues = byMonitor.get(f.monitorId) ?? [];
      dues.push(f.dueAt);
      byMonitor.set(f.monitorId, dues);
    }
    let missed = 0;
    let doubled = 0;
    for (const dues of byMonitor.values()) {
      const phase = dues[0]!;
      const expected = Math.ceil((end - phase) / period) - Math.ceil((r.windowStart - phase) / period);
      const got = dues.filter((d) => d >= r.windowStart && d < end);
      missed += Math.max(0, expected - got.length);
      doubled += Math.max(0, got.length - expected) + (got.length - new Set(got).size);
    }
    // Monitors that never fired: missed whole when the window spans at least one period.
    if (SECONDS >= INTERVAL_SECONDS) missed += (MONITORS - byMonitor.size) * Math.floor(r.windowMs / period);

    const cpuMs = r.cpuUserMs + r.cpuSystemMs;
    const cores = cpus().length;
    const dueRate = MONITORS / INTERVAL_SECONDS;
    const fmtMs = (x: number) => fmt(x, 0);
    const grew = bytesAfter - bytesBefore;
    return {
      id: 'scale',
      title: '8. Scale: one machine in local mode',
      method: `
\`npm start\`'s local mode in a child process of its own (bench/local-mode.ts): the same services, \`LocalScheduler\`,
\`runCheck\`, boot-time \`reconcile\`, reconcile every minute and HTTP server as src/entry/local.ts, production mode,
\`ALLOW_PRIVATE_TARGETS=true\` (the SSRF guard's flag that opens private and loopback ranges, as every bench and test
uses for 127.0.0.1) and the logger writing its JSON lines to a file. ${fmt(MONITORS, 0)} HTTP monitors of one Team account
at ${INTERVAL_SECONDS}-second intervals, inserted straight into the database in batches of 200 (${fmt(seedSeconds, 1)} s), all pointing at a
node:http target on 127.0.0.1 in a third process that answers 200 at once; each was last checked at an evenly
spread moment of the minute before boot, as a running instance leaves them on restart, so the first checks are due
from boot on. The process boots as \`npm start\` does (the boot-time reconcile hands every monitor to the scheduler),
then is measured for ${SECONDS} s and given ${GRACE_SECONDS} s more for checks due inside the window to finish.

**Lateness** is the start of each check minus its due time. The due time comes from the schedule, not from the timer:
\`LocalScheduler\` hands \`runCheck\` the k-th due time of a monitor as first-due + k × interval, where first-due is
lastCheckedAt + interval (the moment the reconcile reached it when already overdue). **Missed / ran twice:** a monitor's
due times share one phase, so the number due inside the window follows from any of them; fewer checks started is a
miss (e.g. a tick skipped because the previous check still ran), more, or one due time twice, a double.
**CPU** is the child's user + system time over the window (process.cpuUsage) divided by the wall time, of one core
and of the machine's ${cores}. **Database growth**: the file with its WAL and shared-memory index, before boot and after
the process closed its client (SQLite checkpoints the WAL on close).`,
      tables: [
        {
          caption: `${fmt(MONITORS, 0)} monitors × ${INTERVAL_SECONDS} s, ${SECONDS} s measured`,
          rows: [
            { figure: 'boot: services, migrations, reconcile of every monitor, listening', value: `${fmt(r.bootMs / 1000, 1)} s` },
            { figure: 'checks due in the window', value: fmt(inWindow.length, 0) },
            { figure: 'checks per second sustained (expected)', value: `${fmt(inWindow.length / SECONDS, 1)} (${fmt(dueRate, 1)})` },
            { figure: 'lateness p50 / p99 / max, ms', value: `${fmtMs(quantile(lateness, 0.5))} / ${fmtMs(quantile(lateness, 0.99))} / ${fmtMs(lateness.reduce((m, x) => Math.max(m, x), -Infinity))}` },
            { figure: 'checks started more than 1 s / 5 s late', value: `${fmt(lateBy(1), 0)} / ${fmt(lateBy(5), 0)}` },
            { figure: 'check duration p50 / p99, ms (probe + read + batched write)', value: `${fmtMs(quantile(durations, 0.5))} / ${fmtMs(quantile(durations, 0.99))}` },
            { figure: 'most checks in flight at once', value: fmt(r.maxInFlight, 0) },
            { figure: 'missed / ran twice', value: `${fmt(missed, 0)} / ${fmt(doubled, 0)}` },
            { figure: 'checks that failed (not up)', value: fmt(r.failedChecks, 0) },
            { figure: 'CPU, % of one core (user + sys)', value: `${fmt((cpuMs / r.windowMs) * 100, 1)} % (${fmt((r.cpuUserMs / r.windowMs) * 100, 1)} + ${fmt((r.cpuSystemMs / r.windowMs) * 100, 1)})` },
            { figure: `CPU, % of the machine (${cores} cores)`, value: `${fmt((cpuMs / r.windowMs / cores) * 100, 1)} %` },
            { figure: 'CPU ms per check', value: fmt(cpuMs / inWindow.length, 2) },
            {
              // One event loop runs every check: its CPU per check bounds one process, whatever the cores.
              figure: 'one process on a whole core: checks/s (monitors at 1 min) = 1000 / CPU ms per check',
              value: `${fmt(1000 / (cpuMs / inWindow.length), 0)} (${fmt((60 * 1000) / (cpuMs / inWindow.length), 0)})`,
            },
            { figure: 'event loop delay p99 / max, ms', value: `${fmt(r.loopDelayP99Ms, 1)} / ${fmt(r.loopDelayMaxMs, 1)}` },
            { figure: 'RSS at window start / max', value: `${fmt(r.rssStartBytes / MB, 0)} / ${fmt(r.rssMaxBytes / MB, 0)} MiB` },
            { figure: 'database, file + WAL, before / after', value: `${fmt(bytesBefore / MB, 1)} / ${fmt(bytesAfter / MB, 1)} MiB` },
            { figure: 'rows in checks / rollups after', value: `${fmt(checkRows, 0)} / ${fmt(rollupRows, 0)}` },
            { figure: 'database bytes per check stored', value: fmt(grew / Math.max(1, checkRows), 0) },
            { figure: 'log bytes per check', value: fmt(bytesOf(logFile) / Math.max(1, r.fires.length), 0) },
          ],
        },
      ],
    };
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
