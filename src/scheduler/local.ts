import type { Logger } from '../log.js';
import { describeError } from '../log.js';
import type { ScheduleSpec, Scheduler } from './port.js';

export type RunCheck = (monitorId: string) => Promise<void>;

/**
 * In-process timers for `npm start`: each enabled monitor fires at its interval and calls the same
 * entry the checker Lambda runs. A check still running when its next tick comes is not doubled.
 */
export class LocalScheduler implements Scheduler {
  private readonly schedules = new Map<string, { spec: ScheduleSpec; timer?: NodeJS.Timeout }>();
  private readonly running = new Set<string>();
  private runCheck: RunCheck | undefined;

  constructor(
    private readonly log: Logger,
    /** Wall-clock for the timers' phase; timers run in real time, so this is the real clock. */
    private readonly clock: () => number = Date.now,
  ) {}

  /** Set once the checker is built (it needs the services this scheduler is part of). */
  attach(runCheck: RunCheck): void {
    this.runCheck = runCheck;
  }

  async create(spec: ScheduleSpec): Promise<void> {
    this.set(spec);
  }

  async update(spec: ScheduleSpec): Promise<void> {
    this.set(spec);
  }

  async remove(monitorId: string): Promise<void> {
    clearInterval(this.schedules.get(monitorId)?.timer);
    this.schedules.delete(monitorId);
  }

  async list(): Promise<ScheduleSpec[]> {
    // The phase hint is not part of what reconcile compares.
    return [...this.schedules.values()].map(({ spec: { monitorId, intervalSeconds, enabled } }) => ({ monitorId, intervalSeconds, enabled }));
  }

  async triggerNow(monitorId: string): Promise<void> {
    setTimeout(() => void this.fire(monitorId), 0).unref?.();
  }

  /** Resolves when no check is running; for a clean shutdown and for tests. */
  async idle(): Promise<void> {
    while (this.running.size) await new Promise((r) => setTimeout(r, 5));
  }

  stop(): void {
    for (const { timer } of this.schedules.values()) clearInterval(timer);
    this.schedules.clear();
  }

  private set(spec: ScheduleSpec): void {
    const entry: { spec: ScheduleSpec; timer?: NodeJS.Timeout } = { spec: { ...spec } };
    clearInterval(this.schedules.get(spec.monitorId)?.timer);
    if (spec.enabled) {
      const periodMs = spec.intervalSeconds * 1000;
      const start = () => {
        entry.timer = setInterval(() => void this.fire(spec.monitorId), periodMs);
        entry.timer.unref?.();
      };
      // issue 18: on its phase, the first tick comes at lastCheckedAt + interval (at once when
      // overdue), not a full interval after this process started.
      const firstInMs = spec.lastCheckedAt == null ? periodMs : Math.max(0, spec.lastCheckedAt + periodMs - this.clock());
      if (firstInMs >= periodMs) start();
      else {
        entry.timer = setTimeout(() => {
          void this.fire(spec.monitorId);
          start();
        }, firstInMs);
        entry.timer.unref?.();
      }
    }
    this.schedules.set(spec.monitorId, entry);
  }

  private async fire(monitorId: string): Promise<void> {
    if (!this.runCheck || this.running.has(monitorId)) return;
    this.running.add(monitorId);
    try {
      await this.runCheck(monitorId);
    } catch (error) {
      this.log.error('check.failed', { monitorId, ...describeError(error) });
    } finally {
      this.running.delete(monitorId);
    }
  }
}
