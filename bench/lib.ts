import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Client, InStatement } from '@libsql/client';
import { buildApiServices } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { migrateDb } from '../src/db/migrate.js';
import { createLogger, type Logger } from '../src/log.js';
import type { Scheduler } from '../src/scheduler/port.js';
import type { ApiServices } from '../src/services.js';

export const BENCH_DIR = import.meta.dirname;
export const ROOT = join(BENCH_DIR, '..');
export const ORIGIN = 'http://app.test';
export const AUTH_SECRET = 'bench-secret-that-is-at-least-32-bytes-long!';

/**
 * The environment every in-process or child server of the bench uses, on the given database file.
 * Production mode, as deployed: libraries skip development-only work (trpc-to-openapi re-validates
 * the whole router on every request outside production).
 */
export function benchEnv(dbFile: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: `file:${dbFile}`,
    AUTH_SECRET,
    APP_ORIGINS: ORIGIN,
    PUBLIC_BASE_URL: 'http://vigil.test',
    ALLOW_PRIVATE_TARGETS: 'true',
  };
}

/** A scheduler that does nothing: no timers run checks behind the measurements. */
export const noopScheduler: Scheduler = {
  create: async () => undefined,
  update: async () => undefined,
  remove: async () => undefined,
  list: async () => [],
  triggerNow: async () => undefined,
};

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `vigil-bench-${prefix}-`));
}

/** Services on a (migrated) database file, with a silent logger and no scheduler unless given. */
export async function benchServices(
  dbFile: string,
  opts: { now?: () => number; scheduler?: Scheduler; log?: Logger; env?: Record<string, string> } = {},
): Promise<ApiServices> {
  const config = loadConfig({ ...benchEnv(dbFile), ...opts.env });
  const svc = await buildApiServices(config, {
    log: opts.log ?? createLogger(() => undefined),
    scheduler: opts.scheduler ?? noopScheduler,
    now: opts.now,
  });
  await migrateDb(svc.db);
  return svc;
}

// ---------------------------------------------------------------------------------------------
// Statistics

export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Median with the spread (min–max) of the repeated runs, for the table. */
export function spread(xs: number[], digits = 1): string {
  if (xs.length === 0) return 'n/a';
  return `${fmt(median(xs), digits)} (${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)})`;
}

export function fmt(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

// ---------------------------------------------------------------------------------------------
// Database instrumentation

export type DbCounter = {
  roundTrips: number;
  statements: number;
  /** Time spent inside the client's calls before they return their promise: the event loop is blocked meanwhile. */
  syncMs: number;
  sql: string[];
  /** Every statement with its arguments, in order. */
  calls: { sql: string; args: unknown[] }[];
  reset(): void;
  restore(): void;
};

/**
 * Wraps the libSQL client's entry points: every call is one round trip (on Turso, one HTTP
 * request), and a batch carries several statements. Records the SQL for EXPLAIN.
 */
export function countDb(client: Client): DbCounter {
  const original = {
    execute: client.execute,
    batch: client.batch,
    executeMultiple: client.executeMultiple,
    transaction: client.transaction,
  };
  const counter: DbCounter = {
    roundTrips: 0,
    statements: 0,
    syncMs: 0,
    sql: [],
    calls: [],
    reset() {
      counter.roundTrips = 0;
      counter.statements = 0;
      counter.syncMs = 0;
      counter.sql = [];
      counter.calls = [];
    },
    restore() {
      Object.assign(client, original);
    },
  };
  const text = (s: InStatement) => {
    const sql = typeof s === 'string' ? s : s.sql;
    const args = typeof s === 'string' || !s.args ? [] : Array.isArray(s.args) ? [...s.args] : Object.values(s.args);
    counter.calls.push({ sql, args });
    return sql;
  };
  const timed = <T>(f: () => T): T => {
    const t = process.hrtime.bigint();
    try {
      return f();
    } finally {
      counter.syncMs += ms(t);
    }
  };
  client.execute = ((stmt: InStatement, args?: unknown) => {
    counter.roundTrips++;
    counter.statements++;
    counter.sql.push(text(stmt));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return timed(() => (original.execute as any).call(client, stmt, args));
  }) as Client['execute'];
  client.batch = ((stmts: InStatement[], mode?: unknown) => {
    counter.roundTrips++;
    counter.statements += stmts.length;
    for (const s of stmts) counter.sql.push(text(s));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return timed(() => (original.batch as any).call(client, stmts, mode));
  }) as Client['batch'];
  client.executeMultiple = ((sql: string) => {
    counter.roundTrips++;
    counter.statements += sql.split(';').filter((s) => s.trim()).length;
    counter.sql.push(sql);
    return timed(() => original.executeMultiple.call(client, sql));
  }) as Client['executeMultiple'];
  client.transaction = ((...args: Parameters<Client['transaction']>) => {
    counter.roundTrips++;
    counter.sql.push('-- transaction');
    return original.transaction.apply(client, args);
  }) as Client['transaction'];
  return counter;
}

/**
 * A model of a remote database (Turso over the network): every round trip the client makes waits
 * `rttMs` more before its answer arrives. Only the waiting is modelled: the statement still runs
 * on the local file, and no lock is held during the wait (a remote server holds its own locks for
 * the statement's duration only). A batch is one round trip, as it is one Hrana request.
 */
export function delayRoundTrips(client: Client, rttMs: number): void {
  const late = <T>(answer: Promise<T>): Promise<T> => answer.then((v) => new Promise<T>((resolve) => setTimeout(() => resolve(v), rttMs)));
  const { execute, batch, executeMultiple } = client;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  client.execute = ((...args: unknown[]) => late((execute as any).apply(client, args))) as Client['execute'];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  client.batch = ((...args: unknown[]) => late((batch as any).apply(client, args))) as Client['batch'];
  client.executeMultiple = ((sql: string) => late(executeMultiple.call(client, sql))) as Client['executeMultiple'];
}

// ---------------------------------------------------------------------------------------------
// Results

export type Row = Record<string, string>;

export type SectionResult = {
  id: string;
  title: string;
  /** What was measured and how, in a few sentences (Markdown). */
  method: string;
  tables: { caption?: string; rows: Row[] }[];
  /** Free text blocks appended after the tables (e.g. query plans). */
  extra?: string;
  finishedAt: string;
  durationSeconds: number;
};

const RESULTS_JSON = join(BENCH_DIR, 'results');

export function saveSection(result: SectionResult): void {
  mkdirSync(RESULTS_JSON, { recursive: true });
  writeFileSync(join(RESULTS_JSON, `${result.id}.json`), JSON.stringify(result, null, 2) + '\n');
}

export function printSection(result: SectionResult): void {
  console.log(`\n=== ${result.title} ===`);
  for (const t of result.tables) {
    if (t.caption) console.log(t.caption);
    console.log(textTable(t.rows));
  }
  if (result.extra) console.log(result.extra);
}

function textTable(rows: Row[]): string {
  if (rows.length === 0) return '(no rows)';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join(' | ');
  return [line(cols), width.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map((r) => line(cols.map((c) => r[c] ?? '')))].join('\n');
}

function mdTable(rows: Row[]): string {
  if (rows.length === 0) return '_(no rows)_';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${cols.map(esc).join(' | ')} |`,
    `| ${cols.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${cols.map((c) => esc(r[c] ?? '')).join(' | ')} |`),
  ].join('\n');
}

export function machine(): Row[] {
  const cpu = cpus();
  return [
    { item: 'CPU', value: `${cpu[0]?.model ?? '?'} × ${cpu.length}` },
    { item: 'Memory', value: `${fmt(totalmem() / 2 ** 30, 1)} GiB (free at start ${fmt(freemem() / 2 ** 30, 1)} GiB)` },
    { item: 'OS', value: `${platform()} ${release()}` },
    { item: 'Node', value: process.version },
    { item: 'Load average (1/5/15 min) at start', value: loadavg().map((x) => fmt(x, 2)).join(' / ') },
    { item: 'Code measured', value: codeVersion() },
  ];
}

/** The commit, and whether src/ had uncommitted changes (the bench imports and packages the working tree). */
function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'serverless.yml', 'deploy').split('\n').filter(Boolean).length;
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ` + ${dirty} uncommitted file(s) under src/ or deploy config` : ''}`;
  } catch {
    return 'unknown (no git)';
  }
}

const ORDER = ['api', 'coldstart', 'checker', 'regions', 'growth', 'password', 'status', 'alerts', 'scale'];

/** Rebuilds bench/RESULTS.md from every section's latest results and bench/findings.md. */
export function writeResultsMd(machineRows: Row[]): void {
  const files = existsSync(RESULTS_JSON) ? readdirSync(RESULTS_JSON).filter((f) => f.endsWith('.json')) : [];
  const sections = files
    .map((f) => JSON.parse(readFileSync(join(RESULTS_JSON, f), 'utf8')) as SectionResult)
    .sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
  const findingsFile = join(BENCH_DIR, 'findings.md');
  const findings = existsSync(findingsFile) ? readFileSync(findingsFile, 'utf8').trim() : '_None recorded._';
  const out = [
    '# Benchmark results',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts) from bench/results/*.json and bench/findings.md; do not edit by hand. -->',
    '',
    `Written ${new Date().toISOString()}. Each section records when it last ran; sections can be re-run alone (\`npm run bench -- <section>\`).`,
    'Figures are medians over repeated runs, with (min–max) of those runs; every ratio is taken against a baseline measured in the same run, interleaved with it.',
    '',
    '## Machine',
    '',
    mdTable(machineRows),
    '',
    ...sections.flatMap((s) => [
      `## ${s.title}`,
      '',
      `_Run ${s.finishedAt}, ${fmt(s.durationSeconds, 0)} s._`,
      '',
      s.method.trim(),
      '',
      ...s.tables.flatMap((t) => [...(t.caption ? [`**${t.caption}**`, ''] : []), mdTable(t.rows), '']),
      ...(s.extra ? [s.extra.trim(), ''] : []),
    ]),
    '## Findings',
    '',
    findings,
    '',
  ];
  writeFileSync(join(BENCH_DIR, 'RESULTS.md'), out.join('\n'));
}

/** Fire-and-wait for an async job with a hard deadline, so no section can hang the whole run. */
export async function withTimeout<T>(p: Promise<T>, msTimeout: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${msTimeout} ms`)), msTimeout);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export type PoolRun = { seconds: number; perSecond: number; p50: number; p99: number; cpuMsPerOp: number };

/** Runs `n` operations with `concurrency` workers; returns throughput, latency and process CPU per operation. */
export async function pool(n: number, concurrency: number, op: (i: number) => Promise<void>): Promise<PoolRun> {
  const lat: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = process.hrtime.bigint();
        await op(i);
        lat.push(ms(t));
      }
    }),
  );
  const wall = ms(t0);
  const cpu = process.cpuUsage(cpu0);
  return {
    seconds: wall / 1000,
    perSecond: (n / wall) * 1000,
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    cpuMsPerOp: (cpu.user + cpu.system) / 1000 / n,
  };
}
