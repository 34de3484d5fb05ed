import { pruneExpiredAccountRows } from '../../../accounts/prune-expired.js';
import { prune } from '../../../checker/prune.js';
import { composeServices } from '../../../compose.js';
import { loadConfig } from '../../../config.js';
import { withSecrets } from '../secrets.js';

// The database alone.
const svc = await composeServices(loadConfig(await withSecrets(process.env), 'worker'), {});

/**
 * Daily: deletes raw checks older than each account's plan keeps, then ended rate-limit windows,
 * expired sessions and expired emailed links.
 */
export const handler = async () => ({ ...(await prune(svc)), ...(await pruneExpiredAccountRows(svc)) });
