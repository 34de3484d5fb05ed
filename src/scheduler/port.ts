/** What a monitor's schedule must look like; the database is the source of truth for it. */
export type ScheduleSpec = {
  monitorId: string;
  intervalSeconds: number;
  enabled: boolean;
  /**
   * issue 18: when the monitor was last checked (ms), so in-process timers resume on their phase
   * after a restart. Only the local adapter uses it; EventBridge keeps its own phase.
   */
  lastCheckedAt?: number | null;
};

/**
 * One recurring schedule per monitor. Adapters: EventBridge Scheduler in production, in-process
 * timers for `npm start`. Every method is idempotent so callers and reconcile can simply retry.
 */
export interface Scheduler {
  /** Creates the schedule; one that already exists is brought to `spec`. */
  create(spec: ScheduleSpec): Promise<void>;
  /** Brings the schedule to `spec`; one that is missing is created. */
  update(spec: ScheduleSpec): Promise<void>;
  /** Deletes the schedule; one already gone is not an error. */
  remove(monitorId: string): Promise<void>;
  /**
   * The schedules this scheduler holds whose monitor id starts with `prefix` (all of them without
   * one), for reconcile, which walks them one prefix at a time to bound what it holds in memory.
   */
  list(prefix?: string): Promise<ScheduleSpec[]>;
  /**
   * Runs one check soon, outside the recurring schedule (the first check of a new monitor), as if
   * scheduled at `requestedAt` (ms, the services' clock).
   */
  triggerNow(monitorId: string, requestedAt: number): Promise<void>;
}

/**
 * What the checker is invoked with: the monitor and when this check was scheduled (ISO 8601), so a
 * check that waited in a queue past its next turn is dropped instead of recorded as on time.
 */
export type CheckEvent = { monitorId: string; scheduledAt: string };

export class SchedulerUnavailable extends Error {
  override name = 'SchedulerUnavailable';
}
