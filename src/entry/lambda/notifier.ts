import { handleNotifyBatch, type SqsEvent } from '../../alerts/notifier.js';
import { buildServices } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';
import { withSecrets } from './secrets.js';

// The notifier holds SEALING_SECRET (webhook signing secrets are sealed under a key derived from
// it) and the database token, both read from Secrets Manager; never a token secret or key.
const svc = await buildServices(loadConfig(await withSecrets(process.env), 'notifier'));

/** Consumes the notify queue with partial batch responses (ReportBatchItemFailures). */
export const handler = (event: SqsEvent) => handleNotifyBatch(svc, event);
