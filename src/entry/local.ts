import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from '../app.js';
import { LocalAlertQueue } from '../alerts/queue.js';
import { buildApiServices } from '../bootstrap.js';
import { ConfigError, loadConfig } from '../config.js';
import { migrateDb } from '../db/migrate.js';
import { createLogger, describeError } from '../log.js';
import { attachLocalChecks, stopLocalChecks } from '../checker/local-checks.js';
import { reconcile } from '../monitors/reconcile.js';

/**
 * A stop waits this long for in-flight checks: the longest check (a 30 s probe, the 3 s
 * confirmation delay and a second 30 s probe) and its write. compose.yaml's stop_grace_period is longer.
 */
const SHUTDOWN_DEADLINE_MS = 70_000;

/** Where the built app is: beside the sources (npm start) or the bundled server (the image's dist/). */
const here = dirname(fileURLToPath(import.meta.url));
const WEB_DIRS = [resolve('web/dist'), resolve(here, '../../web/dist'), resolve(here, '../web/dist')];

/** `npm start`: the same Hono app on Node, an embedded database, and checks run by in-process timers. */
async function main(): Promise<void> {
  // A .env file in the working directory, read at start; the environment wins over it (Node's own loader).
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const log = createLogger();
  // Checks run in this process, on in-process timers (one per monitor, or one per shard in fan-out
  // mode), unless SCHEDULER=eventbridge.
  const svc = await buildApiServices(config, { log });
  await migrateDb(svc.db);
  attachLocalChecks(svc);
  // Loads every monitor's timer at start, then picks up changes made by other processes (plan:set).
  await reconcile(svc);
  const reconciling = setInterval(() => void reconcile(svc).catch((e) => svc.log.error('reconcile.failed', describeError(e))), 60_000);
  reconciling.unref();
  // The web app, built by `npm start`'s prestart step (scripts/build-web.ts) when missing or stale.
  const webApp = WEB_DIRS.find((dir) => existsSync(join(dir, 'index.html')));
  if (!webApp) svc.log.info('web.missing', { hint: 'npm run build:web' });
  const app = createApp(svc, { internal: true, public: true, statusPages: true, webApp });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
    svc.log.info('server.listening', { host: config.host, port: info.port, database: config.databaseUrl.startsWith('file:') ? config.databaseUrl : 'remote' });
    console.log(`Vigil is listening on http://${shown}:${info.port}`);
  });

  // SIGTERM (docker stop) and SIGINT (Ctrl-C): stop taking requests and starting checks, let the
  // checks in flight finish and record, let the alerts they raised go out, then close the database
  // and exit 0. A second signal exits at once.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    svc.log.info('server.stopping', { signal });
    const deadline = setTimeout(() => {
      svc.log.error('server.stop_deadline', { ms: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    void (async () => {
      clearInterval(reconciling);
      const closed = new Promise((r) => server.close(r));
      await stopLocalChecks(svc);
      if (svc.alerts instanceof LocalAlertQueue) await svc.alerts.idle();
      svc.alerts.stop();
      await closed;
      // Everything into the database file itself (an empty WAL): a copy of the file alone is whole.
      if (config.databaseUrl.startsWith('file:')) await svc.db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
      svc.db.$client.close();
      svc.log.info('server.stopped', { signal });
      process.exit(0);
    })().catch((error: unknown) => {
      svc.log.error('server.stop_failed', describeError(error));
      process.exit(1);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : describeError(error).error);
  process.exit(1);
});
