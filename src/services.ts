import type { AlertQueue } from './alerts/port.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import type { Logger } from './log.js';
import type { Mailer } from './mail/port.js';
import type { RegionProbes } from './probes/regions.js';
import type { TokenKeys } from './auth/tokens.js';
import type { Scheduler } from './scheduler/port.js';
import type { SmsSender } from './sms/port.js';

/** Everything a job needs, built once per process by an entry point (or a test). */
export type Services = {
  config: Config;
  db: Db;
  log: Logger;
  scheduler: Scheduler;
  mailer: Mailer;
  /** Wakes whoever delivers alerts: the in-process dispatcher locally, the notifier via SQS on AWS. */
  alerts: AlertQueue;
  /** Texts alerts and verification codes to SMS contacts (a file locally, Amazon SNS on AWS). */
  sms: SmsSender;
  /** Probes in the regions other than home: the `probe` Lambdas on AWS, in-process probes locally. */
  probes: RegionProbes;
  now: () => number;
};

/**
 * What an API process holds on top: the keys it signs and verifies tokens with. The workers
 * (checker, prune, reconcile, the CLI) are built without them and their types say so.
 */
export type ApiServices = Services & { keys: TokenKeys };
