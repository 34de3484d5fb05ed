import { handle } from 'hono/aws-lambda';
import { loadConfig } from '../../config.js';
import { openDb, tuneEmbedded } from '../../db/client.js';
import { createAppShell } from '../../http/app-shell.js';
import { createLogger } from '../../log.js';
import type { Services } from '../../services.js';
import { mountStatusPages } from '../../status-pages/routes.js';
import { withSecrets } from './secrets.js';

/**
 * The public status pages and badges: a lean function that only reads the database. It is built
 * without bootstrap.ts on purpose, so its bundle holds no scheduler, no mail transport, no alert
 * queue, no tRPC and no signing key (of the AWS SDK, only Secrets Manager, for the database token at cold start);
 * the parts of Services it never uses refuse to work.
 */
const config = loadConfig(await withSecrets(process.env), 'worker');
const db = openDb({ url: config.databaseUrl, authToken: config.databaseAuthToken });
await tuneEmbedded(db, config.databaseUrl);

const notHere = (what: string) => () => Promise.reject(new Error(`the status pages function has no ${what}`));
const svc: Services = {
  config,
  db,
  log: createLogger(),
  now: Date.now,
  scheduler: { create: notHere('scheduler'), update: notHere('scheduler'), remove: notHere('scheduler'), list: notHere('scheduler'), triggerNow: notHere('scheduler') },
  mailer: { send: notHere('mailer') },
  alerts: { wantsIds: false, enqueue: notHere('alert queue'), stop: () => {} },
};

/** GET /status/… behind API Gateway HTTP API (payload v2), ideally with a CDN in front (docs/DEPLOY.md). */
export const handler = handle(createAppShell(svc, [mountStatusPages]));
