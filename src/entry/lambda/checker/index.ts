import { awsAlertQueue } from '../../../alerts/queue.js';
import { runCheck } from '../../../checker/run.js';
import { runTick } from '../../../checker/tick.js';
import { composeServices } from '../../../compose.js';
import { loadConfig } from '../../../config.js';
import { eventBridgeScheduler, noInvoker } from '../../../scheduler/adapters.js';
import { withSecrets } from '../secrets.js';
import { parseCheckEvent } from '../../../scheduler/check-event.js';
import { parseTickEvent } from '../../../scheduler/shards.js';
import { lambdaRegionProbes } from '../../../probes/lambda-regions.js';

// No token secret: the checker never signs or reads a session or token. It holds SEALING_SECRET
// (read from Secrets Manager) to open the Basic/Bearer credentials of http monitors.
// The scheduler only to delete the schedule of a monitor that no longer exists; the alert queue
// wakes the notifier after a check commits an incident. No mail: the notifier sends it. The probes
// port invokes the `probe` Lambda of each other region of CHECK_REGIONS (serverless.probe.yml).
const svc = await composeServices(loadConfig(await withSecrets(process.env), 'checker'), {
  scheduler: (config) => eventBridgeScheduler(config, noInvoker),
  alerts: awsAlertQueue,
  probes: (config) => lambdaRegionProbes(config.regions.probeFunctionName ?? ''),
});

/**
 * Invoked by the monitor's EventBridge schedule, and once at creation, with
 * `{"monitorId": "mon_…", "scheduledAt": "<ISO time>"}`. A run that waited in Lambda's queue longer
 * than the monitor's interval is dropped (runCheck); one without a time (a schedule written by an
 * older version, until reconcile rewrites it) is taken as on time. In fan-out mode a shard's
 * schedule sends `{"shard": i, "shards": n, "scheduledAt": …}`: one tick checks the shard's due monitors (runTick).
 */
export const handler = async (event: unknown): Promise<void> => {
  const tick = parseTickEvent(event);
  if (tick) {
    await runTick(svc, tick.shard, tick.shards, { dueAt: tick.dueAt });
    return;
  }
  const parsed = parseCheckEvent(event);
  if (!parsed) {
    svc.log.warn('checker.bad_event', {});
    return;
  }
  await runCheck(svc, parsed.monitorId, { dueAt: parsed.dueAt });
};
