import { handleNotifyBatch, type SqsEvent } from '../../alerts/notifier.js';
import { buildServices } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';

// The notifier holds AUTH_SECRET: webhook signing secrets are sealed under a key derived from it.
const svc = await buildServices(loadConfig(process.env, 'notifier'));

/** Consumes the notify queue with partial batch responses (ReportBatchItemFailures). */
export const handler = (event: SqsEvent) => handleNotifyBatch(svc, event);
