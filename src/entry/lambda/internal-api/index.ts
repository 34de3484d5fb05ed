import { handle } from 'hono/aws-lambda';
import { awsAlertQueue } from '../../../alerts/queue.js';
import { composeApiServices } from '../../../compose.js';
import { loadConfig } from '../../../config.js';
import { createAppShell } from '../../../http/app-shell.js';
import { mountHealth } from '../../../http/healthz.js';
import { mountInternal } from '../../../internal/mount.js';
import { sesFromConfig } from '../../../mail/ses.js';
import { checkScheduler } from '../../../scheduler/adapters.js';
import { lambdaInvoker } from '../../../scheduler/invoke-checker.js';
import { snsFromConfig } from '../../../sms/sns.js';
import { withSecrets } from '../secrets.js';

// Built once per Lambda instance and reused by every invocation it serves.
// Schedules (and the first check of a new monitor), mail (codes, links), and the alert queue (contacts.test).
const svc = await composeApiServices(loadConfig(await withSecrets(process.env), 'api'), {
  scheduler: (config, _log, deps) => checkScheduler(config, lambdaInvoker, deps),
  mailer: sesFromConfig,
  alerts: awsAlertQueue,
  sms: snsFromConfig,
});

/** The SPA's API (/internal, /auth) behind API Gateway HTTP API (payload v2). */
export const handler = handle(createAppShell(svc, [mountHealth, mountInternal]));
