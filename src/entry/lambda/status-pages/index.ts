import { handle } from 'hono/aws-lambda';
import { composeServices } from '../../../compose.js';
import { loadConfig } from '../../../config.js';
import { createAppShell } from '../../../http/app-shell.js';
import { mountStatusPages } from '../../../status-pages/routes.js';
import { withSecrets } from '../secrets.js';

/**
 * The public status pages and badges: a lean function that only reads the database. It composes
 * no adapter at all, so its bundle holds no scheduler, no mail transport, no alert queue, no tRPC
 * and no signing key (of the AWS SDK, only Secrets Manager, for the database token at cold start).
 */
const svc = await composeServices(loadConfig(await withSecrets(process.env), 'worker'), {});

/** GET /status/… behind API Gateway HTTP API (payload v2), ideally with a CDN in front (docs/DEPLOY.md). */
export const handler = handle(createAppShell(svc, [mountStatusPages]));
