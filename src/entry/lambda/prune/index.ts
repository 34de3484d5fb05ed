import { pruneExpiredAccountRows } from '../../../accounts/prune-expired.js';
import { prune } from '../../../checker/prune.js';
import { composeServices } from '../../../compose.js';
import { loadConfig } from '../../../config.js';
import { withSecrets } from '../secrets.js';

// The database alone.
const svc = await composeServices(loadConfig(await withSecrets(process.env), 'worker'), {});

/** Time left for the other prunes and the answer once the checks' prune stops starting chunks. */
const RESERVE_MS = 60_000;

/**
 * Daily: deletes raw checks older than each account's plan keeps, in chunks until shortly before
 * the timeout (what is left waits for the next run), then ended rate-limit windows, expired
 * sessions and expired emailed links.
 */
export const handler = async (_event: unknown, context?: { getRemainingTimeInMillis(): number }) => {
  const deadline = context ? svc.now() + context.getRemainingTimeInMillis() - RESERVE_MS : undefined;
  return { ...(await prune(svc, { deadline })), ...(await pruneExpiredAccountRows(svc)) };
};
