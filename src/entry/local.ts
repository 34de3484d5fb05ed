import { serve } from '@hono/node-server';
import { createApp } from '../app.js';
import { buildServices } from '../bootstrap.js';
import { ConfigError, loadConfig } from '../config.js';
import { migrateDb } from '../db/migrate.js';
import { describeError } from '../log.js';

/** `npm start`: the same Hono app on Node, an embedded database, and checks run by in-process timers. */
async function main(): Promise<void> {
  const config = loadConfig();
  const svc = await buildServices(config);
  await migrateDb(svc.db);
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
