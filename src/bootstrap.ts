import { deriveTokenKeys } from './auth/tokens.js';
import type { Config } from './config.js';
import { openDb, tuneEmbedded, type Db } from './db/client.js';
import { createLogger, type Logger } from './log.js';
import type { Mailer } from './mail/port.js';
import { createMailer } from './mail/transports.js';
import { lazyScheduler } from './scheduler/lazy.js';
import { LocalScheduler } from './scheduler/local.js';
import type { Scheduler } from './scheduler/port.js';
import type { Services } from './services.js';

export type BootOptions = {
  db?: Db;
  log?: Logger;
  scheduler?: Scheduler;
  mailer?: Mailer;
  now?: () => number;
};

/** The composition root: config in, services out. Entry points and tests differ only in options. */
export async function buildServices(config: Config, opts: BootOptions = {}): Promise<Services> {
  const db = opts.db ?? openDb({ url: config.databaseUrl, authToken: config.databaseAuthToken });
  await tuneEmbedded(db, config.databaseUrl);
  const log = opts.log ?? createLogger();
  return {
    config,
    db,
    log,
    scheduler: opts.scheduler ?? defaultScheduler(config, log),
    mailer: opts.mailer ?? createMailer(config.mail, log),
    keys: config.tokenSecrets.session || config.tokenSecrets.access ? deriveTokenKeys(config.tokenSecrets, config.publicBaseUrl) : undefined,
    now: opts.now ?? Date.now,
  };
}

function defaultScheduler(config: Config, log: Logger): Scheduler {
  const settings = config.scheduler;
  if (settings.kind === 'local') return new LocalScheduler(log);
  return lazyScheduler(async () => {
    const [{ SchedulerClient }, { LambdaClient }, { EventBridgeScheduler }] = await Promise.all([
      import('@aws-sdk/client-scheduler'),
      import('@aws-sdk/client-lambda'),
      import('./scheduler/eventbridge.js'),
    ]);
    return new EventBridgeScheduler(new SchedulerClient({}), new LambdaClient({}), settings);
  });
}
