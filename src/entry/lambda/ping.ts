import { handle } from 'hono/aws-lambda';
import { Hono } from 'hono';
import { loadConfig } from '../../config.js';
import { openDb } from '../../db/client.js';
import { mountPing } from '../../heartbeat/route.js';
import { createLogger } from '../../log.js';

// Deliberately lean: no tRPC, no keys, no scheduler, no mailer, no AWS SDK; only the database.
const config = loadConfig(process.env, 'worker');
const app = new Hono();
mountPing(app, {
  db: openDb({ url: config.databaseUrl, authToken: config.databaseAuthToken }),
  log: createLogger(),
  now: Date.now,
});
app.notFound((c) => c.text('not found\n', 404));

/** Heartbeat pings (GET/HEAD/POST /ping/{token}[/fail]) behind API Gateway HTTP API (payload v2). */
export const handler = handle(app);
