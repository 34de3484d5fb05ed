import type { ScheduleSpec, Scheduler } from './port.js';

/**
 * Builds the real scheduler on its first use. The AWS SDK clients take a noticeable share of a
 * Lambda's cold start to load, and most invocations (reads, checks of a monitor that exists) never
 * touch a schedule.
 */
export function lazyScheduler(load: () => Promise<Scheduler>): Scheduler {
  let loading: Promise<Scheduler> | undefined;
  const real = () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined; // a failed load is retried by the next call
      throw error;
    });
    return loading;
  };
  return {
    create: async (spec: ScheduleSpec) => (await real()).create(spec),
    update: async (spec: ScheduleSpec) => (await real()).update(spec),
    remove: async (monitorId: string) => (await real()).remove(monitorId),
    list: async (prefix?: string) => (await real()).list(prefix),
    triggerNow: async (monitorId: string, requestedAt: number) => (await real()).triggerNow(monitorId, requestedAt),
  };
}
