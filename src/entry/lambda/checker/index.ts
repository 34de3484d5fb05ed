import { awsAlertQueue } from '../../../alerts/queue.js';
import { runCheck } from '../../../checker/run.js';
import { composeServices } from '../../../compose.js';
import { loadConfig } from '../../../config.js';
import { eventBridgeScheduler, noInvoker } from '../../../scheduler/adapters.js';
import { withSecrets } from '../secrets.js';

// No token secret: the checker never signs or reads a session or token. It holds SEALING_SECRET
// (read from Secrets Manager) to open the Basic/Bearer credentials of http monitors (issue 18).
// The scheduler only to delete the schedule of a monitor that no longer exists; the alert queue
// wakes the notifier after a check commits an incident. No mail: the notifier sends it.
const svc = await composeServices(loadConfig(await withSecrets(process.env), 'checker'), {
  scheduler: (config) => eventBridgeScheduler(config, noInvoker),
  alerts: awsAlertQueue,
});

/** Invoked by the monitor's EventBridge schedule (and once at creation) with `{"monitorId": "mon_…"}`. */
export const handler = async (event: { monitorId?: unknown }): Promise<void> => {
  if (typeof event?.monitorId !== 'string') {
    svc.log.warn('checker.bad_event', {});
    return;
  }
  await runCheck(svc, event.monitorId);
};
