import { awsAlertQueue } from '../../../alerts/queue.js';
import { sweepDeliveries } from '../../../alerts/sweep.js';
import { composeServices } from '../../../compose.js';
import { loadConfig } from '../../../config.js';
import { sweepMail } from '../../../mail/outbox.js';
import { withSecrets } from '../secrets.js';

// A worker: only the database token, from Secrets Manager; it re-enqueues, it never opens a secret.
const svc = await composeServices(loadConfig(await withSecrets(process.env), 'worker'), { alerts: awsAlertQueue });

/** Every minute: re-enqueues deliveries and account mails due for a retry or never enqueued. */
export const handler = async () => ({ enqueued: await sweepDeliveries(svc), mail: await sweepMail(svc) });
