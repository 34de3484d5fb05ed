import type { AlertQueue } from './alerts/queue.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import type { Logger } from './log.js';
import type { Mailer } from './mail/port.js';
import type { TokenKeys } from './auth/tokens.js';
import type { Scheduler } from './scheduler/port.js';

/** Everything a request or a job needs, built once per process by an entry point (or a test). */
export type Services = {
  config: Config;
  db: Db;
  log: Logger;
  scheduler: Scheduler;
  mailer: Mailer;
  /** Wakes whoever delivers alerts: the in-process dispatcher locally, the notifier via SQS on AWS. */
  alerts: AlertQueue;
  /** Present for the API; the workers never hold signing keys. */
  keys: TokenKeys | undefined;
  now: () => number;
};

export function requireKeys(svc: Services): TokenKeys {
  if (!svc.keys) throw new Error('token keys are not configured for this process');
  return svc.keys;
}
