import { buildServices } from '../../bootstrap.js';
import { runCheck } from '../../checker/run.js';
import { loadConfig } from '../../config.js';

// Workers load no AUTH_SECRET: the checker never signs or reads a credential.
const svc = await buildServices(loadConfig(process.env, 'worker'));

/** Invoked by the monitor's EventBridge schedule (and once at creation) with `{"monitorId": "mon_…"}`. */
export const handler = async (event: { monitorId?: unknown }): Promise<void> => {
  if (typeof event?.monitorId !== 'string') {
    svc.log.warn('checker.bad_event', {});
    return;
  }
  await runCheck(svc, event.monitorId);
};
