import { handleNotifyBatch, type SqsEvent } from '../../../alerts/notifier.js';
import { awsAlertQueue } from '../../../alerts/queue.js';
import { composeServices } from '../../../compose.js';
import { loadConfig } from '../../../config.js';
import { sesFromConfig } from '../../../mail/ses.js';
import { snsFromConfig } from '../../../sms/sns.js';
import { withSecrets } from '../secrets.js';

// The notifier holds SEALING_SECRET (webhook signing secrets are sealed under a key derived from
// it) and the database token, both read from Secrets Manager; never a token secret or key.
const svc = await composeServices(loadConfig(await withSecrets(process.env), 'notifier'), { mailer: sesFromConfig, alerts: awsAlertQueue, sms: snsFromConfig });

/** Consumes the notify queue with partial batch responses (ReportBatchItemFailures). */
export const handler = (event: SqsEvent) => handleNotifyBatch(svc, event);
