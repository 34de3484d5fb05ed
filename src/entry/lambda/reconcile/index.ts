import { composeServices } from '../../../compose.js';
import { loadConfig } from '../../../config.js';
import { DAY_MS, HOUR_MS } from '../../../domain/time.js';
import { reconcile, reconcileDue } from '../../../monitors/reconcile.js';
import { checkScheduler, noInvoker } from '../../../scheduler/adapters.js';
import { withSecrets } from '../secrets.js';

const svc = await composeServices(loadConfig(await withSecrets(process.env), 'reconcile'), {
  scheduler: (config, _log, deps) => checkScheduler(config, noInvoker, deps),
});

/** Time kept for the shard under way and the answer: a run starts no shard closer to its timeout. */
const RESERVE_MS = 60_000;

/**
 * Hourly: once a day, repairs drift between the monitors in the database and the schedules in the
 * group; a pass that one run cannot finish goes on in the next hourly runs, from its cursor.
 */
export const handler = async (_event: unknown, context?: { getRemainingTimeInMillis(): number }) => {
  if (!(await reconcileDue(svc, DAY_MS - HOUR_MS / 2))) return { due: false };
  const deadline = context ? svc.now() + context.getRemainingTimeInMillis() - RESERVE_MS : undefined;
  return reconcile(svc, { deadline });
};
