import type { AlertQueue } from './alerts/port.js';
import { deriveTokenKeys } from './auth/tokens.js';
import type { Config } from './config.js';
import { openDb, tuneEmbedded, type Db } from './db/client.js';
import { createLogger, type Logger } from './log.js';
import type { Mailer } from './mail/port.js';
import type { RegionProbes } from './probes/regions.js';
import type { Scheduler } from './scheduler/port.js';
import type { SmsSender } from './sms/port.js';
import type { ApiServices, Services } from './services.js';

/**
 * How a process reaches the outside world, one factory per port. Each entry point passes only the
 * adapters it uses, so a Lambda bundle holds nothing else (bench/RESULTS.md §2: what a function
 * imports, it pays for at every cold start). A port left out refuses to work, loudly.
 */
export type Adapters = {
  /** `deps`: the fan-out scheduler keeps its monitors' next check in the database (ADR 0015). */
  scheduler?: (config: Config, log: Logger, deps: { db: Db; now: () => number }) => Scheduler;
  mailer?: (config: Config, log: Logger) => Mailer;
  alerts?: (config: Config, log: Logger) => AlertQueue;
  sms?: (config: Config, log: Logger) => SmsSender;
  probes?: (config: Config, log: Logger) => RegionProbes;
};

export type BootOptions = {
  db?: Db;
  log?: Logger;
  scheduler?: Scheduler;
  mailer?: Mailer;
  alerts?: AlertQueue;
  sms?: SmsSender;
  probes?: RegionProbes;
  now?: () => number;
};

/** Config and adapters in, services out: the core every entry point and test composes through. */
export async function composeServices(config: Config, adapters: Adapters, opts: BootOptions = {}): Promise<Services> {
  const db = opts.db ?? openDb({ url: config.databaseUrl, authToken: config.databaseAuthToken });
  await tuneEmbedded(db, config.databaseUrl);
  const log = opts.log ?? createLogger();
  const now = opts.now ?? Date.now;
  return {
    config,
    db,
    log,
    scheduler: opts.scheduler ?? adapters.scheduler?.(config, log, { db, now }) ?? absentScheduler,
    mailer: opts.mailer ?? adapters.mailer?.(config, log) ?? absentMailer,
    alerts: opts.alerts ?? adapters.alerts?.(config, log) ?? absentAlertQueue,
    sms: opts.sms ?? adapters.sms?.(config, log) ?? absentSms,
    probes: opts.probes ?? adapters.probes?.(config, log) ?? absentProbes,
    now,
  };
}

/**
 * An API process: the services plus the keys of the tokens it handles, and only those (loadConfig
 * insists on its role's secret): the internal API's session key (and, in a local `npm start`
 * serving both APIs, the access-token key too), the public API's access-token key alone.
 */
export async function composeApiServices(config: Config, adapters: Adapters, opts: BootOptions = {}): Promise<ApiServices> {
  const { session, access } = config.tokenSecrets;
  if (!session && !access) {
    throw new Error('an API process needs SESSION_SECRET or ACCESS_TOKEN_SECRET (or AUTH_SECRET); load its config with role api or public-api');
  }
  return { ...(await composeServices(config, adapters, opts)), keys: deriveTokenKeys(config.tokenSecrets, config.publicBaseUrl) };
}

const absent = (port: string) => () => Promise.reject(new Error(`this process was built without a ${port}`));
const absentScheduler: Scheduler = {
  create: absent('scheduler'),
  update: absent('scheduler'),
  remove: absent('scheduler'),
  list: absent('scheduler'),
  triggerNow: absent('scheduler'),
};
const absentMailer: Mailer = { send: absent('mailer') };
const absentSms: SmsSender = { send: absent('SMS sender') };
const absentAlertQueue: AlertQueue = { enqueue: absent('alert queue'), stop: () => {} };
const absentProbes: RegionProbes = { probe: absent('probes port') };
