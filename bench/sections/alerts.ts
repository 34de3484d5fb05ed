import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createContact } from '../../src/alerts/contacts/create.js';
import { dispatchDue } from '../../src/alerts/dispatcher.js';
import { LocalAlertQueue } from '../../src/alerts/queue.js';
import { runCheck } from '../../src/checker/run.js';
import { newId } from '../../src/domain/ids.js';
import { startChild } from '../children.js';
import { benchServices, fmt, ms, quantile, spread, tempDir, type SectionResult } from '../lib.js';
import { insertMonitors } from '../seed.js';

const LATENCY_SAMPLES = 200;
const DELIVERIES = 1000;
const CONCURRENCY = 25; // the dispatcher sends a claimed batch of 25 in parallel
const ROUNDS = 3;

/** A target that is down: 500 to every request, in a process of its own. */
const DOWN_TARGET = `
const http = require('node:http');
const s = http.createServer((req, res) => { res.writeHead(500, { 'content-length': '4' }); res.end('down'); });
s.listen(0, '127.0.0.1', () => console.log('LISTENING ' + s.address().port));
`;

/** The webhook receiver, in this process so it can timestamp arrivals on the same clock. */
async function startReceiver() {
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  let count = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      const key = req.url ?? '';
      arrivals.set(key, performance.now());
      waiters.get(key)?.();
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    arrivals,
    get count() {
      return count;
    },
    arrival: (path: string) =>
      arrivals.has(path) ? Promise.resolve() : new Promise<void>((r) => waiters.set(path, () => r())),
    close: () => new Promise((r) => server.close(r)),
  };
}

/**
 * Alert latency: from the start of the check that turns a monitor down (confirmation delay 0, so
 * the figure is what alerting adds beyond the re-check) to the signed webhook arriving. Dispatcher
 * throughput: 1,000 queued deliveries to one receiver against a plain fetch loop POSTing the same
 * bodies to it, 25 at a time, interleaved round by round.
 */
export async function alertsBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const dir = tempDir('alerts');
  const target = await startChild(process.execPath, ['-e', DOWN_TARGET]);
  const receiver = await startReceiver();
  const svc = await benchServices(join(dir, 'bench.db'));
  try {
    const accountId = newId('acc');
    await svc.db.$client.execute({ sql: `INSERT INTO accounts (id, plan) VALUES (?, 'team')`, args: [accountId] });
    const account = { id: accountId, plan: 'team' as const };
    const actor = { accountId, actorId: 'bench', ip: null };

    // Latency: each monitor alerts its own webhook path, so each arrival is matched to its check.
    const monitorIds = await insertMonitors(svc, accountId, LATENCY_SAMPLES, { url: `http://127.0.0.1:${target.port}/`, now: Date.now() });
    const toCheckStart: number[] = [];
    const toCommit: number[] = [];
    for (const [i, monitorId] of monitorIds.entries()) {
      const path = `/m/${i}`;
      const { contact } = await createContact(svc, account, { kind: 'webhook', name: `w${i}`, target: receiver.base + path }, actor);
      await svc.db.run(sql`UPDATE monitors SET alert_contact_ids = ${JSON.stringify([contact.id])} WHERE id = ${monitorId}`);
      const arrived = receiver.arrival(path);
      const t0 = process.hrtime.bigint();
      const out = await runCheck(svc, monitorId, { confirmDelayMs: 0 });
      if (out.kind !== 'checked' || !out.verdict.changed) throw new Error(`check ${i} did not turn the monitor down`);
      const committed = process.hrtime.bigint();
      await arrived;
      toCheckStart.push(ms(t0));
      toCommit.push(ms(committed));
      // Deleting the contact keeps the later throughput runs to their own contact.
      await svc.db.run(sql`DELETE FROM alert_contacts WHERE id = ${contact.id}`);
    }

    // Throughput: the dispatcher alone (its timer stopped), draining queued deliveries.
    svc.alerts.stop();
    if (svc.alerts instanceof LocalAlertQueue) await svc.alerts.idle();
    const { contact } = await createContact(svc, account, { kind: 'webhook', name: 'throughput', target: `${receiver.base}/t` }, actor);
    const body = JSON.stringify({ type: 'test', timestamp: new Date().toISOString(), data: { message: 'x'.repeat(120) } });
    const queue = async () => {
      const now = svc.now();
      for (let i = 0; i < DELIVERIES; i += 200) {
        const n = Math.min(200, DELIVERIES - i);
        await svc.db.$client.batch(
          Array.from({ length: n }, () => {
            const eventId = newId('evt');
            return [
              { sql: `INSERT INTO alert_events (id, account_id, type, data, created_at) VALUES (?, ?, 'test', '{}', ?)`, args: [eventId, accountId, now] },
              {
                sql: `INSERT INTO alert_deliveries (id, account_id, event_id, contact_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
                args: [newId('dlv'), accountId, eventId, contact.id, now, now],
              },
            ];
          }).flat(),
        );
      }
    };
    const dispatcherRun = async () => {
      await queue();
      const before = receiver.count;
      const t0 = process.hrtime.bigint();
      const sent = await dispatchDue(svc);
      const wall = ms(t0);
      if (sent !== DELIVERIES || receiver.count - before !== DELIVERIES) throw new Error(`dispatched ${sent}, received ${receiver.count - before}`);
      return (DELIVERIES / wall) * 1000;
    };
    const fetchRun = async () => {
      let next = 0;
      const t0 = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next++ < DELIVERIES) {
            const res = await fetch(`${receiver.base}/t`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
            await res.arrayBuffer();
          }
        }),
      );
      return (DELIVERIES / ms(t0)) * 1000;
    };
    await dispatcherRun(); // warm-up
    await fetchRun();
    const ours: number[] = [];
    const base: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        base.push(await fetchRun());
        ours.push(await dispatcherRun());
      } else {
        ours.push(await dispatcherRun());
        base.push(await fetchRun());
      }
    }

    const lat = (xs: number[]) => ({ 'p50 ms': fmt(quantile(xs, 0.5), 1), 'p99 ms': fmt(quantile(xs, 0.99), 1), 'max ms': fmt(Math.max(...xs), 1) });
    return {
      id: 'alerts',
      title: '7. Alert latency and dispatcher throughput',
      method: `
**Latency**: ${LATENCY_SAMPLES} monitors (embedded libSQL file, WAL), each alerting its own webhook path on a node:http
receiver in this process, checked one at a time by \`runCheck(svc, id, { confirmDelayMs: 0 })\` against a target
answering 500 (a child process): the check turns the monitor down, commits the incident with its outbox rows, wakes
the in-process dispatcher, which signs (Standard Webhooks) and POSTs through the SSRF guard and a pinned, fresh
connection. Measured from the start of the check, and from its commit, to the receiver's \`end\` of the request. With
the real confirmation delay (3 s) the figures add that delay; nothing else changes.
**Throughput**: ${DELIVERIES} queued \`test\` deliveries to one webhook drained by \`dispatchDue\` (claims of 25 by a
conditional UPDATE, sends in parallel, one batched write per attempt), against a plain \`fetch\` loop (undici
keep-alive pool) POSTing a body of the same size to the same receiver, ${CONCURRENCY} at a time. ${ROUNDS} rounds, order
alternated; medians with (min–max).`,
      tables: [
        {
          caption: 'Alert latency (monitor turns down → webhook received)',
          rows: [
            { from: 'start of the check (probe included)', ...lat(toCheckStart) },
            { from: 'commit of the check', ...lat(toCommit) },
          ],
        },
        {
          caption: 'Dispatcher throughput',
          rows: [
            { run: 'dispatcher (ours)', 'deliveries/s': spread(ours, 0) },
            { run: 'plain fetch loop (baseline)', 'deliveries/s': spread(base, 0) },
            { run: 'ratio ours / fetch', 'deliveries/s': spread(ours.map((o, i) => o / base[i]!), 3) },
          ],
        },
      ],
    };
  } finally {
    svc.alerts.stop();
    svc.db.$client.close();
    await receiver.close();
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
