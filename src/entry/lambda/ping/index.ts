import { handle } from 'hono/aws-lambda';
import { Hono } from 'hono';
import { awsAlertQueue } from '../../../alerts/queue.js';
import { pingTransition } from '../../../checker/ping-transition.js';
import { loadConfig } from '../../../config.js';
import { openDb } from '../../../db/client.js';
import { mountPing } from '../../../heartbeat/route.js';
import { createLogger } from '../../../log.js';
import { withSecrets } from '../secrets.js';

// Deliberately lean: no tRPC, no keys, no scheduler, no mailer; the database (its token read from
// Secrets Manager by DATABASE_AUTH_TOKEN_ARN at cold start, like every function) and, like the
// checker, the notify queue it wakes after a ping turned the heartbeat up or down.
const config = loadConfig(await withSecrets(process.env), 'worker');
const app = new Hono();
mountPing(app, {
  db: openDb({ url: config.databaseUrl, authToken: config.databaseAuthToken }),
  log: createLogger(),
  now: Date.now,
  alerts: awsAlertQueue(config),
}, pingTransition);
app.notFound((c) => c.text('not found\n', 404));

/** Heartbeat pings (GET/HEAD/POST /ping/{token}[/fail]) behind API Gateway HTTP API (payload v2). */
export const handler = handle(app);
