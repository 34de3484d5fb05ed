import { dispatchDue, dueDeliveryProbe } from './alerts/dispatcher.js';
import { dueReminders, remindOpenIncidents } from './alerts/reminders.js';
import type { AlertQueue } from './alerts/port.js';
import { awsAlertQueue, LocalAlertQueue } from './alerts/queue.js';
import { composeApiServices, composeServices, type Adapters, type BootOptions } from './compose.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { dueMailProbe, sendDueMail } from './mail/outbox.js';
import { LocalRegionProbes } from './probes/local-regions.js';
import { createMailer } from './mail/transports.js';
import { createSmsSender } from './sms/transports.js';
import { checkScheduler, type SchedulerDeps } from './scheduler/adapters.js';
import { FanoutScheduler } from './scheduler/fanout.js';
import { lambdaInvoker } from './scheduler/invoke-checker.js';
import { LocalShardTicks } from './scheduler/local-fanout.js';
import { LocalScheduler } from './scheduler/local.js';
import type { Scheduler } from './scheduler/port.js';
import type { ApiServices, Services } from './services.js';

export type { BootOptions };

/**
 * The composition root of `npm start`, the CLI scripts and the tests: every adapter, chosen by the
 * config (local timers or EventBridge, file/SMTP/SES mail, in-process dispatcher or SQS). The
 * Lambdas compose through src/compose.ts with only their own adapters (src/entry/lambda/).
 */
export async function buildServices(config: Config, opts: BootOptions = {}): Promise<Services> {
  return withLocalDispatcher(await composeServices(config, configuredAdapters, opts));
}

export async function buildApiServices(config: Config, opts: BootOptions = {}): Promise<ApiServices> {
  return withLocalDispatcher(await composeApiServices(config, configuredAdapters, opts));
}

function withLocalDispatcher<S extends Services>(svc: S): S {
  // One in-process sender for both outboxes: alert deliveries (with reminders) and account mail.
  if (svc.alerts instanceof LocalAlertQueue) svc.alerts.attach(() => runDue(svc));
  return svc;
}

/**
 * One run of the in-process sender: a single round trip asks whether anything is due at all — a
 * reminder, a delivery, a mail — (all an idle poll costs, every few seconds), then only what is runs.
 */
async function runDue(svc: Services): Promise<void> {
  const [reminders, deliveries, mail] = await svc.db.batch([dueReminders(svc), dueDeliveryProbe(svc), dueMailProbe(svc)]);
  await Promise.all([
    reminders.length || deliveries.length ? remindOpenIncidents(svc, reminders).then(() => dispatchDue(svc)) : undefined,
    mail.length ? sendDueMail(svc) : undefined,
  ]);
}

const configuredAdapters: Adapters = {
  scheduler: defaultScheduler,
  mailer: (config, log) => createMailer(config.mail, log),
  alerts: defaultAlertQueue,
  sms: (config, log) => createSmsSender(config.sms, log),
  // In-process probes named after the configured regions: the same request the probe Lambdas run.
  probes: (config) => new LocalRegionProbes({ allowPrivateTargets: config.allowPrivateTargets, namesSettings: config.namesSettings }),
};

function defaultAlertQueue(config: Config, log: Logger): AlertQueue {
  return config.onLambda || config.notifyQueueUrl ? awsAlertQueue(config) : new LocalAlertQueue(log);
}

/**
 * Locally, in-process timers: one per monitor, or one per shard in fan-out mode (src/checker/local-checks.ts
 * gives them their work); else EventBridge, in either mode.
 */
function defaultScheduler(config: Config, log: Logger, deps: SchedulerDeps): Scheduler {
  if (config.scheduler.kind !== 'local') return checkScheduler(config, lambdaInvoker, deps);
  if (config.checks.mode === 'per-monitor') return new LocalScheduler(log);
  const ticks = new LocalShardTicks(log, deps.now);
  return new FanoutScheduler({ ...deps, shardSize: config.checks.shardSize, shards: ticks, runNow: (id, at) => ticks.runNow(id, at) });
}
