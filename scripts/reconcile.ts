import { buildServices } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { reconcile } from '../src/monitors/reconcile.js';

/** `npm run reconcile`: the daily repair, by hand (SCHEDULER=eventbridge to act on AWS). */
const svc = await buildServices(loadConfig(process.env, 'worker'));
const report = await reconcile(svc);
console.log(JSON.stringify(report));
svc.db.$client.close();
