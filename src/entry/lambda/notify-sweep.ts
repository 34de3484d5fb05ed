import { sweepDeliveries } from '../../alerts/sweep.js';
import { buildServices } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';

const svc = await buildServices(loadConfig(process.env, 'worker'));

/** Every minute: re-enqueues deliveries due for a retry or never enqueued. */
export const handler = async () => ({ enqueued: await sweepDeliveries(svc) });
