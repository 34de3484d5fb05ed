import { buildServices } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';
import { reconcile } from '../../monitors/reconcile.js';
import { withSecrets } from './secrets.js';

const svc = await buildServices(loadConfig(await withSecrets(process.env), 'reconcile'));

/** Daily: repairs drift between the monitors in the database and the schedules in the group. */
export const handler = async () => reconcile(svc);
