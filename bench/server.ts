/**
 * A server under load, in a process of its own (autocannon runs in the bench process):
 *   tsx bench/server.ts app <db file>        the Hono app, exactly as `npm start` builds it, no scheduler
 *   tsx bench/server.ts baseline <db file>   node:http + @libsql/client running BENCH_SQL (JSON args in BENCH_ARGS)
 *   tsx bench/server.ts peer <db file>       GET /api/v1/monitors the way OpenStatus builds it (bench/peer.ts)
 * With BENCH_DB_RTT_MS set, every database round trip waits that long more (a remote database's
 * network, modelled: see delayRoundTrips). Prints `LISTENING <port>` when ready; listens on 127.0.0.1 only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createClient, type InArgs } from '@libsql/client';
import { createApp } from '../src/app.js';
import { buildApiServices } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { benchEnv, delayRoundTrips, noopScheduler } from './lib.js';
import { createPeerApp } from './peer.js';

const [mode, dbFile] = process.argv.slice(2);
const rttMs = Number(process.env.BENCH_DB_RTT_MS ?? 0);
if (!dbFile || (mode !== 'app' && mode !== 'baseline' && mode !== 'peer')) {
  console.error('usage: tsx bench/server.ts app|baseline|peer <db file>');
  process.exit(2);
}

let server: http.Server;
if (mode === 'app' || mode === 'peer') {
  const svc = await buildApiServices(loadConfig(benchEnv(dbFile)), { log: createLogger(() => undefined), scheduler: noopScheduler });
  if (rttMs > 0) delayRoundTrips(svc.db.$client, rttMs);
  const app = mode === 'app' ? createApp(svc) : createPeerApp(svc);
  server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as http.Server));
  });
} else {
  const client = createClient({ url: `file:${dbFile}` });
  await client.execute('PRAGMA busy_timeout = 5000');
  if (rttMs > 0) delayRoundTrips(client, rttMs);
  const sql = process.env.BENCH_SQL!;
  const args = JSON.parse(process.env.BENCH_ARGS ?? '[]') as InArgs;
  server = http.createServer(async (_req, res) => {
    try {
      const { rows } = await client.execute({ sql, args });
      const body = JSON.stringify(rows);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } catch (error) {
      res.writeHead(500);
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}
console.log(`LISTENING ${(server.address() as AddressInfo).port}`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
