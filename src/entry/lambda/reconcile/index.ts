import { composeServices } from '../../../compose.js';
import { loadConfig } from '../../../config.js';
import { reconcile } from '../../../monitors/reconcile.js';
import { eventBridgeScheduler, noInvoker } from '../../../scheduler/adapters.js';
import { withSecrets } from '../secrets.js';

const svc = await composeServices(loadConfig(await withSecrets(process.env), 'reconcile'), {
  scheduler: (config) => eventBridgeScheduler(config, noInvoker),
});

/** Daily: repairs drift between the monitors in the database and the schedules in the group. */
export const handler = async () => reconcile(svc);
