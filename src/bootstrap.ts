import { dispatchDue } from './alerts/dispatcher.js';
import { LocalAlertQueue, sqsAlertQueue, sweepOnlyQueue, type AlertQueue } from './alerts/queue.js';
import { deriveTokenKeys } from './auth/tokens.js';
import type { Config } from './config.js';
import { openDb, tuneEmbedded, type Db } from './db/client.js';
import { createLogger, type Logger } from './log.js';
import type { Mailer } from './mail/port.js';
import { createMailer } from './mail/transports.js';
import { lazyScheduler } from './scheduler/lazy.js';
import type { Scheduler } from './scheduler/port.js';
import type { ApiServices, Services } from './services.js';

export type BootOptions = {
  db?: Db;
  log?: Logger;
  scheduler?: Scheduler;
  mailer?: Mailer;
  alerts?: AlertQueue;
  now?: () => number;
};

/** The composition root: config in, services out. Entry points and tests differ only in options. */
export async function buildServices(config: Config, opts: BootOptions = {}): Promise<Services> {
  const db = opts.db ?? openDb({ url: config.databaseUrl, authToken: config.databaseAuthToken });
  await tuneEmbedded(db, config.databaseUrl);
  const log = opts.log ?? createLogger();
  const svc: Services = {
    config,
    db,
    log,
    scheduler: opts.scheduler ?? defaultScheduler(config, log),
    mailer: opts.mailer ?? createMailer(config.mail, log),
    alerts: opts.alerts ?? defaultAlertQueue(config, log),
    now: opts.now ?? Date.now,
  };
  if (svc.alerts instanceof LocalAlertQueue) svc.alerts.attach(() => dispatchDue(svc));
  return svc;
}

function defaultAlertQueue(config: Config, log: Logger): AlertQueue {
  const queueUrl = config.notifyQueueUrl;
  if (queueUrl) {
    return sqsAlertQueue(queueUrl, async () => {
      const { SQSClient, SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
      return { client: new SQSClient({}), batch: (input) => new SendMessageBatchCommand(input as never) };
    });
  }
  return config.onLambda ? sweepOnlyQueue : new LocalAlertQueue(log);
}

/**
 * An API process: the services plus the keys of the tokens it handles, and only those (loadConfig
 * insists on its role's secret): the internal API's session key (and, in a local `npm start`
 * serving both APIs, the access-token key too), the public API's access-token key alone.
 */
export async function buildApiServices(config: Config, opts: BootOptions = {}): Promise<ApiServices> {
  const { session, access } = config.tokenSecrets;
  if (!session && !access) {
    throw new Error('an API process needs SESSION_SECRET or ACCESS_TOKEN_SECRET (or AUTH_SECRET); load its config with role api or public-api');
  }
  return { ...(await buildServices(config, opts)), keys: deriveTokenKeys(config.tokenSecrets, config.publicBaseUrl) };
}

/**
 * The adapters load on first use, so a process that never schedules (the public API) never loads
 * them. `npm start` passes its own LocalScheduler, whose timers it runs.
 */
function defaultScheduler(config: Config, log: Logger): Scheduler {
  const settings = config.scheduler;
  if (settings.kind === 'local') {
    return lazyScheduler(async () => new (await import('./scheduler/local.js')).LocalScheduler(log));
  }
  return lazyScheduler(async () => {
    const [{ SchedulerClient }, { LambdaClient }, { EventBridgeScheduler }] = await Promise.all([
      import('@aws-sdk/client-scheduler'),
      import('@aws-sdk/client-lambda'),
      import('./scheduler/eventbridge.js'),
    ]);
    return new EventBridgeScheduler(new SchedulerClient({}), new LambdaClient({}), settings);
  });
}
