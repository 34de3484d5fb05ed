import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../src/app.js';
import { listMonitors } from '../../src/monitors/reads.js';
import { startChild } from '../children.js';
import { benchServices, countDb, fmt, median, ROOT, spread, tempDir, type SectionResult } from '../lib.js';
import { load, type LoadResult } from '../load.js';
import { bearerToken, insertHistory, insertMonitors, registerUser } from '../seed.js';

const MONITORS = 50;
const HISTORY_DAYS = 30;
const CHECK_EVERY_SECONDS = 300;
const ROUNDS = 7;
const CONNECTIONS = 10;
/** Under the Team plan's 1,200 requests per minute, so no public-API round meets the rate limit. */
const AMOUNT = 1100;
const MAX_SECONDS = 15;
/** A remote database's round trip, modelled: Turso from a Lambda in the same region, and from a farther one. */
const REMOTE_RTT_MS = [5, 20];
const REMOTE_ROUNDS = 5;

type Target = 'a' | 'b' | 'c' | 'd';
const LABEL: Record<Target, string> = {
  a: '(a) GET /api/v1/monitors, bearer token',
  b: '(b) tRPC monitors.list, session cookie',
  c: '(c) baseline: node:http + @libsql/client, same SQL',
  d: '(d) peer: OpenStatus-style Hono + @hono/zod-openapi, same work',
};
/** Each round runs every target once, in a rotated order, so none always runs first or last. */
const ORDERS: Target[][] = [['c', 'a', 'b', 'd'], ['a', 'd', 'c', 'b'], ['b', 'c', 'd', 'a'], ['d', 'b', 'a', 'c']];

export async function apiBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const dir = tempDir('api');
  const dbFile = join(dir, 'bench.db');
  const svc = await benchServices(dbFile);
  const app = createApp(svc);
  const children: { stop(): Promise<void> }[] = [];
  try {
    // Seed: one Team account, 50 monitors, 30 days of 5-minute checks with their rollups.
    const user = await registerUser(app, svc, 'bench-api@example.com', 'team');
    const token = await bearerToken(app, user.cookie);
    const now = Date.now();
    const ids = await insertMonitors(svc, user.accountId, MONITORS, { now });
    const t0 = Date.now();
    const rows = await insertHistory(svc, ids, { days: HISTORY_DAYS, everySeconds: CHECK_EVERY_SECONDS, now });
    const seedSeconds = (Date.now() - t0) / 1000;

    // The exact statement tRPC monitors.list runs, for the baseline to run too.
    const counter = countDb(svc.db.$client);
    await listMonitors(svc, user.accountId);
    counter.restore();
    const listCall = counter.calls.find((c) => /from "monitors"/.test(c.sql));
    if (!listCall) throw new Error('could not capture the list SQL');

    // Statements per request of (a) and (b), counted in-process on the same app and database.
    const perRequest: Record<string, { sql: string[]; trips: number }> = {};
    for (const [t, path, headers] of [
      ['a', '/api/v1/monitors', { authorization: `Bearer ${token}` }],
      ['b', '/internal/monitors.list', { cookie: user.cookie, origin: 'http://app.test' }],
    ] as const) {
      const c = countDb(svc.db.$client);
      const res = await app.fetch(new Request(`http://vigil.test${path}`, { headers }));
      c.restore();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      perRequest[t] = { sql: c.sql.map((q) => q.replace(/\s+/g, ' ').trim().slice(0, 140)), trips: c.roundTrips };
    }

    const server = async (mode: string, env: Record<string, string>) => {
      const child = await startChild(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/server.ts'), mode, dbFile], env);
      children.push(child);
      return child;
    };
    /** The four targets, each in its own process, every database round trip delayed by `rttMs`. */
    const startTargets = async (rttMs: number): Promise<Record<Target, { url: string; headers: Record<string, string> }>> => {
      const rtt = { BENCH_DB_RTT_MS: String(rttMs) };
      const appServer = await server('app', { NODE_ENV: 'production', ...rtt });
      const baseServer = await server('baseline', { BENCH_SQL: listCall.sql, BENCH_ARGS: JSON.stringify(listCall.args), ...rtt });
      const peerServer = await server('peer', { NODE_ENV: 'production', ...rtt });
      return {
        a: { url: `http://127.0.0.1:${appServer.port}/api/v1/monitors`, headers: { authorization: `Bearer ${token}` } },
        b: { url: `http://127.0.0.1:${appServer.port}/internal/monitors.list`, headers: { cookie: user.cookie, origin: 'http://app.test' } },
        c: { url: `http://127.0.0.1:${baseServer.port}/`, headers: {} },
        d: { url: `http://127.0.0.1:${peerServer.port}/api/v1/monitors`, headers: { authorization: `Bearer ${token}` } },
      };
    };
    const stopTargets = async () => {
      for (const c of children.splice(0)) await c.stop();
    };
    const req = await startTargets(0);
    // Each answers 200 with the 50 monitors; the peer (d) answers exactly what (a) answers.
    const counts: Record<string, number> = {};
    const bodies: Partial<Record<Target, string>> = {};
    for (const t of ['a', 'b', 'c', 'd'] as const) {
      const res = await fetch(req[t].url, { headers: req[t].headers });
      bodies[t] = await res.text();
      // tRPC monitors.list answers a page, { items, nextCursor }.
      const body = JSON.parse(bodies[t]) as { data?: unknown[]; result?: { data: { items: unknown[] } } } | unknown[];
      const items = Array.isArray(body) ? body : (body.data ?? body.result?.data.items ?? []);
      if (res.status !== 200 || items.length !== MONITORS) throw new Error(`${t}: ${res.status}, ${items.length} items`);
      counts[t] = items.length;
    }
    if (bodies.a !== bodies.d) throw new Error('the peer (d) does not answer the same JSON as (a)');

    const resetRateLimit = () => svc.db.$client.execute({ sql: 'DELETE FROM rate_limits WHERE key = ?', args: [`api:${user.accountId}`] });
    const measure = async (targets: typeof req, rounds: number): Promise<Record<Target, LoadResult[]>> => {
      const run = async (t: Target, amount = AMOUNT) => {
        if (t === 'a' || t === 'd') await resetRateLimit();
        const r = await load(targets[t].url, { connections: CONNECTIONS, amount, maxSeconds: MAX_SECONDS, headers: targets[t].headers });
        if (r.bad) {
          const probe = await fetch(targets[t].url, { headers: targets[t].headers }).then(async (res) => `${res.status} ${(await res.text()).slice(0, 200)}`, String);
          throw new Error(`${LABEL[t]}: ${r.bad} failed or non-2xx responses; one request now answers ${probe}`);
        }
        return r;
      };
      for (const t of ORDERS[0]!) await run(t, 300); // warm-up
      const out: Record<Target, LoadResult[]> = { a: [], b: [], c: [], d: [] };
      for (let r = 0; r < rounds; r++) for (const t of ORDERS[r % ORDERS.length]!) out[t].push(await run(t));
      return out;
    };
    const results = await measure(req, ROUNDS);
    await stopTargets();
    // The same four through a model of a remote database's network.
    const remote: { rttMs: number; results: Record<Target, LoadResult[]> }[] = [];
    for (const rttMs of REMOTE_RTT_MS) {
      const targets = await startTargets(rttMs);
      remote.push({ rttMs, results: await measure(targets, REMOTE_ROUNDS) });
      await stopTargets();
    }

    const row = (t: Target, of = results) => ({
      target: LABEL[t],
      'req/s': spread(of[t].map((x) => x.rps), 0),
      'p50 ms': spread(of[t].map((x) => x.p50), 1),
      'p99 ms': spread(of[t].map((x) => x.p99), 1),
      'bytes/response': fmt(median(of[t].map((x) => x.bytesPerResponse)), 0),
    });
    const ratio = (x: Target, f: (l: LoadResult) => number, base: Target = 'c', of = results) => of[x].map((l, i) => f(l) / f(of[base][i]!));
    const remoteTables = remote.flatMap(({ rttMs, results: of }) => [
      { caption: `Remote database model: ${rttMs} ms per round trip`, rows: [row('a', of), row('b', of), row('c', of), row('d', of)] },
      {
        caption: `Remote database model, ${rttMs} ms: ours against the peer and the baseline, same round (target at 20 ms: req/s a/d ≥ 2.0×)`,
        rows: [
          { ratio: 'req/s a/d', value: spread(ratio('a', (l) => l.rps, 'd', of), 3) },
          { ratio: 'p50 a/d (lower is better for ours)', value: spread(ratio('a', (l) => l.p50, 'd', of), 2) },
          { ratio: 'req/s a/c', value: spread(ratio('a', (l) => l.rps, 'c', of), 3) },
          { ratio: 'req/s b/c', value: spread(ratio('b', (l) => l.rps, 'c', of), 3) },
        ],
      },
    ]);
    return {
      id: 'api',
      title: '1. API throughput and latency',
      method: `
The app runs as \`npm start\` builds it (the same \`createApp\`, @hono/node-server, embedded libSQL file, no scheduler)
in a child process; the baseline (c) is a bare node:http server in another child process that runs the very statement
tRPC \`monitors.list\` sends (captured from the libSQL client) with @libsql/client on the same database file and
returns \`JSON.stringify(rows)\`. Load comes from autocannon in the bench process, loopback only, ${CONNECTIONS} connections,
${AMOUNT} requests per run (stopped at ${MAX_SECONDS} s at the latest). Database: one Team account with ${MONITORS} monitors and
${HISTORY_DAYS} days of history at one check every ${CHECK_EVERY_SECONDS / 60} minutes (${fmt(rows, 0)} rows in \`checks\` plus their hourly and daily rollups,
seeded in ${fmt(seedSeconds, 1)} s). All four answer 200 with the ${MONITORS} monitors (checked before the runs; every run
had no error and no non-2xx). ${ROUNDS} rounds after a warm-up, the order of (a)–(d) rotated each round;
ratios are taken within each round, then the median. req/s counts 2xx responses over the time from the start to the
last response, timed by the bench (autocannon's own duration rounds a short run up to whole seconds).

**Limitation (rate limit):** the public API allows 1,200 requests per minute on the Team plan, counted in the
\`rate_limits\` table. Each (a) run is therefore bounded at ${AMOUNT} requests, and the bench deletes the account's
\`api:<account>\` row from \`rate_limits\` before every (a) run so each run starts a fresh window. The per-request
rate-limit upsert itself is still paid by every (a) request, as in production. (a) and (b) are bounded the same way
as (c) so the runs are comparable; at ~1 s per run these are short runs, hence ${ROUNDS} rounds.
The public endpoint and the peer return their default page of 50 (they fetch 51 rows); tRPC and the baseline run
\`LIMIT 1001\`; with ${MONITORS} monitors all four return the same ${MONITORS} rows.

**The peer (d)** is what a user would pick instead: \`GET /api/v1/monitors\` built the way OpenStatus builds its
public REST API (bench/peer.ts): \`OpenAPIHono\` from @hono/zod-openapi, a \`createRoute\` with zod schemas for the
query and the response (the same shapes as ours, the response parsed before \`c.json\`), an auth middleware and a
rate-limit middleware, on @hono/node-server in its own child process with the same services and database file.
It does the same work as (a), the straightforward way, one await after the other: it verifies the same access-token
JWT with jose, reads the OAuth client row with its account's plan (revocation immediate), counts the request in
\`rate_limits\` with the same upsert on the same key (reset before each (d) run, as for (a)), then runs the drizzle
list query tRPC runs (the whole monitor row, as a straightforward handler selects it; ours selects only the 21 columns
partners are shown): three sequential round trips per request, whatever ours does. Its JSON body is checked to be
byte-for-byte (a)'s before the runs. Each round runs the four targets in a rotated order.

**A remote database, modelled.** Production runs on Turso, across a network, where the number of round trips a
request makes counts more than the work in each. The bench models that network at the client boundary
(bench/lib.ts \`delayRoundTrips\`): in every target's process, each \`execute\` and each \`batch\` of the libSQL client
answers ${REMOTE_RTT_MS.join(' ms or ')} ms later than the local file does (a batch is one round trip, as it is one Hrana request).
It is a model, not a measurement of Turso: no bandwidth, no jitter, no server-side queueing; the statements still run on
the local file. The four targets run through it unchanged, ${REMOTE_ROUNDS} rounds each after a warm-up.`,
      tables: [
        { caption: 'Throughput and latency', rows: [row('a'), row('b'), row('c'), row('d')] },
        {
          caption: 'Ratios against the baseline (c), same round',
          rows: [
            { ratio: 'req/s a/c', value: spread(ratio('a', (l) => l.rps), 3) },
            { ratio: 'req/s b/c', value: spread(ratio('b', (l) => l.rps), 3) },
            { ratio: 'p50 a/c', value: spread(ratio('a', (l) => l.p50), 2) },
            { ratio: 'p50 b/c', value: spread(ratio('b', (l) => l.p50), 2) },
            { ratio: 'p99 a/c', value: spread(ratio('a', (l) => l.p99), 2) },
            { ratio: 'p99 b/c', value: spread(ratio('b', (l) => l.p99), 2) },
          ],
        },
        {
          caption: 'Ours (a) against the peer (d), same round (target: req/s ≥ 1.0×)',
          rows: [
            { ratio: 'req/s a/d', value: spread(ratio('a', (l) => l.rps, 'd'), 3) },
            { ratio: 'p50 a/d (lower is better for ours)', value: spread(ratio('a', (l) => l.p50, 'd'), 2) },
            { ratio: 'p99 a/d (lower is better for ours)', value: spread(ratio('a', (l) => l.p99, 'd'), 2) },
          ],
        },
        ...remoteTables,
      ],
      extra: [
        `Baseline statement: \`${listCall.sql}\``,
        '',
        ...(['a', 'b'] as const).flatMap((t) => [
          `Database round trips per request of ${LABEL[t]}: ${perRequest[t]!.trips} (statements, truncated):`,
          '',
          '```sql',
          ...perRequest[t]!.sql.map((q) => `${q};`),
          '```',
          '',
        ]),
      ].join('\n'),
    };
  } finally {
    for (const c of children) await c.stop();
    svc.db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
