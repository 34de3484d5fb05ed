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
  /** Every schedule this scheduler holds, for reconcile. */
  list(): Promise<ScheduleSpec[]>;
  /** Runs one check soon, outside the recurring schedule (the first check of a new monitor). */
  triggerNow(monitorId: string): Promise<void>;
}

export class SchedulerUnavailable extends Error {
  override name = 'SchedulerUnavailable';
}
