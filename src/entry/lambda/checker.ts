import { buildServices } from '../../bootstrap.js';
import { runCheck } from '../../checker/run.js';
import { loadConfig } from '../../config.js';
import { withSecrets } from './secrets.js';

// No token secret: the checker never signs or reads a session or token. It holds SEALING_SECRET
// (read from Secrets Manager) to open the Basic/Bearer credentials of http monitors (issue 18).
const svc = await buildServices(loadConfig(await withSecrets(process.env), 'checker'));

/** Invoked by the monitor's EventBridge schedule (and once at creation) with `{"monitorId": "mon_…"}`. */
export const handler = async (event: { monitorId?: unknown }): Promise<void> => {
  if (typeof event?.monitorId !== 'string') {
    svc.log.warn('checker.bad_event', {});
    return;
  }
  await runCheck(svc, event.monitorId);
};
