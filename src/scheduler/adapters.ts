import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { lazyScheduler } from './lazy.js';
import type { CheckEvent, Scheduler } from './port.js';

/**
 * The scheduler adapters, each loaded on first use (a process that never schedules never loads
 * the SDK). Separate exports, so a Lambda bundle carries only the ones its entry names.
 */
export const localScheduler = (_config: Config, log: Logger): Scheduler =>
  lazyScheduler(async () => new (await import('./local.js')).LocalScheduler(log));

/** Runs the first check of a new monitor; only the internal API creates monitors. */
export type CheckerInvoker = (config: Config) => (event: CheckEvent) => Promise<void>;

export function eventBridgeScheduler(config: Config, invoker: CheckerInvoker): Scheduler {
  const settings = config.scheduler;
  if (settings.kind !== 'eventbridge') throw new Error('SCHEDULER=eventbridge is required for the EventBridge adapter');
  return lazyScheduler(async () => {
    const [{ SchedulerClient }, { EventBridgeScheduler }] = await Promise.all([import('@aws-sdk/client-scheduler'), import('./eventbridge.js')]);
    return new EventBridgeScheduler(new SchedulerClient({}), settings, invoker(config));
  });
}

/** For the workers that keep schedules in step (checker, reconcile) but never start a check. */
export const noInvoker: CheckerInvoker = () => () => Promise.reject(new Error('this process never starts a first check'));
