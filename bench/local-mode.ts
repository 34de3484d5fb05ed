/**
 * `npm start`'s local mode for the scale section, in a process of its own so its CPU and memory are
 * its alone: the same services, LocalScheduler, runCheck, boot-time reconcile, reconcile every minute
 * and HTTP server as src/entry/local.ts, on an already seeded database file.
 *   tsx bench/local-mode.ts <db file> <result json> <log file>
 * Env: SCALE_WINDOW_MS (measured window), SCALE_GRACE_MS (time left after it for late checks).
 * Prints `LISTENING <port>` once booted, writes the measurements to <result json> and exits.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { createApp } from '../src/app.js';
import { runCheck } from '../src/checker/run.js';
import { createLogger, describeError } from '../src/log.js';
import { reconcile } from '../src/monitors/reconcile.js';
import { LocalScheduler } from '../src/scheduler/local.js';
import { benchServices } from './lib.js';

export type LocalModeResult = {
  bootMs: number;
  windowStart: number;
  windowMs: number;
  /** Every check started, with the due time the scheduler gave it. */
  fires: { monitorId: string; dueAt: number; startedAt: number; ms: number }[];
  failedChecks: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  rssStartBytes: number;
  rssMaxBytes: number;
  heapUsedMaxBytes: number;
  maxInFlight: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
};

const [dbFile, outFile, logFile] = process.argv.slice(2);
if (!dbFile || !outFile || !logFile) {
  console.error('usage: tsx bench/local-mode.ts <db file> <result json> <log file>');
  process.exit(2);
}
const windowMs = Number(process.env.SCALE_WINDOW_MS ?? 180_000);
const graceMs = Number(process.env.SCALE_GRACE_MS ?? 15_000);

// As `npm start` logs: one JSON line per check, here to a file (a self-hoster's `npm start > vigil.log`).
const logStream = createWriteStream(logFile);
const log = createLogger((line) => logStream.write(line + '\n'));
const local = new LocalScheduler(log);
const t0 = Date.now();
const svc = await benchServices(dbFile, { scheduler: local, log });

const fires: LocalModeResult['fires'] = [];
let failedChecks = 0;
let inFlight = 0;
let maxInFlight = 0;
local.attach(async (monitorId, dueAt) => {
  const startedAt = Date.now();
  maxInFlight = Math.max(maxInFlight, ++inFlight);
  try {
    const out = await runCheck(svc, monitorId);
    if (out.kind !== 'checked' || !out.result.ok) failedChecks++;
  } finally {
    inFlight--;
    fires.push({ monitorId, dueAt, startedAt, ms: Date.now() - startedAt });
  }
});
await reconcile(svc);
setInterval(() => void reconcile(svc).catch((e) => log.error('reconcile.failed', describeError(e))), 60_000).unref();
const app = createApp(svc);
const server = await new Promise<http.Server>((resolve) => {
  const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as http.Server));
});
const bootMs = Date.now() - t0;

const windowStart = Date.now();
const cpu0 = process.cpuUsage();
const rssStartBytes = process.memoryUsage().rss;
let rssMaxBytes = rssStartBytes;
let heapUsedMaxBytes = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  rssMaxBytes = Math.max(rssMaxBytes, m.rss);
  heapUsedMaxBytes = Math.max(heapUsedMaxBytes, m.heapUsed);
}, 1000);
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
console.log(`LISTENING ${(server.address() as AddressInfo).port}`);

await new Promise((r) => setTimeout(r, windowMs));
const cpu = process.cpuUsage(cpu0);
loop.disable();
clearInterval(sampler);
// Checks due inside the window but late still count: give them the grace period, then stop.
await new Promise((r) => setTimeout(r, graceMs));
local.stop();
await local.idle();
server.close();
const result: LocalModeResult = {
  bootMs,
  windowStart,
  windowMs,
  fires,
  failedChecks,
  cpuUserMs: cpu.user / 1000,
  cpuSystemMs: cpu.system / 1000,
  rssStartBytes,
  rssMaxBytes,
  heapUsedMaxBytes,
  maxInFlight,
  loopDelayP99Ms: loop.percentile(99) / 1e6,
  loopDelayMaxMs: loop.max / 1e6,
};
writeFileSync(outFile, JSON.stringify(result));
svc.db.$client.close();
logStream.end(() => process.exit(0));
