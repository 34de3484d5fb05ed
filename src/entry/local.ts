import { serve } from '@hono/node-server';
import { createApp } from '../app.js';
import { buildApiServices } from '../bootstrap.js';
import { ConfigError, loadConfig } from '../config.js';
import { migrateDb } from '../db/migrate.js';
import { createLogger, describeError } from '../log.js';
import { runCheck } from '../checker/run.js';
import { LocalScheduler } from '../scheduler/local.js';
import { reconcile } from '../monitors/reconcile.js';

/** `npm start`: the same Hono app on Node, an embedded database, and checks run by in-process timers. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger();
  // Checks run in this process, on in-process timers, unless SCHEDULER=eventbridge.
  const local = config.scheduler.kind === 'local' ? new LocalScheduler(log) : undefined;
  const svc = await buildApiServices(config, { log, scheduler: local });
  await migrateDb(svc.db);
  local?.attach((monitorId) => runCheck(svc, monitorId).then(() => undefined));
  // Loads every monitor's timer at start, then picks up changes made by other processes (plan:set).
  await reconcile(svc);
  setInterval(() => void reconcile(svc).catch((e) => svc.log.error('reconcile.failed', describeError(e))), 60_000).unref();
  const app = createApp(svc);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: '127.0.0.1' }, (info) => {
    svc.log.info('server.listening', { url: `http://localhost:${info.port}`, database: config.databaseUrl.startsWith('file:') ? config.databaseUrl : 'remote' });
    console.log(`Vigil is listening on http://localhost:${info.port}`);
  });
  const shutdown = () => {
    server.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : describeError(error).error);
  process.exit(1);
});
