import { buildServices } from '../src/bootstrap.js';
import { loadConfig, type Config } from '../src/config.js';
import { switchCheckMode } from '../src/monitors/check-mode.js';

/**
 * `npm run checks:switch`: after deploying a new CHECK_MODE, moves every monitor's schedule into
 * it (ADR 0015): the new mode's schedules first, then the old mode's deleted; no check is lost.
 */
const config = loadConfig(process.env, 'reconcile');
const to = await buildServices(config);
const other: Config['checks'] = config.checks.mode === 'fan-out' ? { mode: 'per-monitor' } : { mode: 'fan-out', shardSize: 1000 };
const from = await buildServices({ ...config, checks: other }, { db: to.db, log: to.log });
console.log(JSON.stringify(await switchCheckMode(to, from.scheduler, to.scheduler)));
to.db.$client.close();
