import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { FanoutScheduler } from './fanout.js';
import { lazyScheduler } from './lazy.js';
import type { CheckEvent, Scheduler } from './port.js';
import type { ShardSchedules } from './shards.js';

/** What a fan-out scheduler reads besides the config: the database holding next_check_at, and the services' clock. */
export type SchedulerDeps = { db: Db; now: () => number };

/** Runs the first check of a new monitor; only the internal API creates monitors. */
export type CheckerInvoker = (config: Config) => (event: CheckEvent) => Promise<void>;

/**
 * The EventBridge adapter, loaded on first use (a process that never schedules never loads the
 * SDK); the in-process ones are composed by src/bootstrap.ts, never in a Lambda bundle.
 */
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

/**
 * The scheduler of the processes that keep schedules (the internal API, reconcile), by CHECK_MODE:
 * one EventBridge schedule per monitor, or the fan-out shards' schedules (ADR 0015), with a new
 * monitor's first check still an asynchronous invocation of the checker.
 */
export function checkScheduler(config: Config, invoker: CheckerInvoker, deps: SchedulerDeps): Scheduler {
  const perMonitor = eventBridgeScheduler(config, invoker);
  if (config.checks.mode !== 'fan-out' || config.scheduler.kind !== 'eventbridge') return perMonitor;
  const settings = config.scheduler;
  let loading: Promise<ShardSchedules> | undefined;
  const shards = () =>
    (loading ??= Promise.all([import('@aws-sdk/client-scheduler'), import('./eventbridge.js')]).then(
      ([{ SchedulerClient }, { EventBridgeShards }]) => new EventBridgeShards(new SchedulerClient({}), settings, deps.now),
    ));
  return new FanoutScheduler({
    ...deps,
    shardSize: config.checks.shardSize,
    shards: { ensure: async (n) => (await shards()).ensure(n), retire: async (n) => (await shards()).retire(n) },
    runNow: (monitorId, requestedAt) => perMonitor.triggerNow(monitorId, requestedAt),
  });
}
