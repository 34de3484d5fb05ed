import { sweepDeliveries } from '../../alerts/sweep.js';
import { buildServices } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';
import { withSecrets } from './secrets.js';

// A worker: only the database token, from Secrets Manager; it re-enqueues, it never opens a secret.
const svc = await buildServices(loadConfig(await withSecrets(process.env), 'worker'));

/** Every minute: re-enqueues deliveries due for a retry or never enqueued. */
export const handler = async () => ({ enqueued: await sweepDeliveries(svc) });
