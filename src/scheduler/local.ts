import type { Logger } from '../log.js';
import { describeError } from '../log.js';
import type { ScheduleSpec, Scheduler } from './port.js';

/** `dueAt`: when this check was due on the monitor's schedule (ms), so callers can measure lateness. */
export type RunCheck = (monitorId: string, dueAt: number) => Promise<void>;

/** Checks running at once, at most: beyond it, due checks wait their turn in due order (issue 19). */
export const LOCAL_MAX_CONCURRENT_CHECKS = 256;

/**
 * In-process timers for `npm start`: each enabled monitor fires at its interval and calls the same
 * entry the checker Lambda runs. A check still running when its next tick comes is not doubled.
 * After a stall (a blocked event loop, a restart with every monitor overdue) thousands of ticks can
 * come at once: at most `maxConcurrent` checks run, the others queue, so a probe's timeout measures
 * the target and not this process's backlog (else an overloaded process reports healthy sites down).
 */
export class LocalScheduler implements Scheduler {
  private readonly schedules = new Map<string, { spec: ScheduleSpec; timer?: NodeJS.Timeout }>();
  /** Monitors whose check is running or queued: a tick for one of them is not doubled. */
  private readonly running = new Set<string>();
  private readonly queue: { monitorId: string; dueAt: number }[] = [];
  private active = 0;
  private runCheck: RunCheck | undefined;

  constructor(
    private readonly log: Logger,
    /** Wall-clock for the timers' phase; timers run in real time, so this is the real clock. */
    private readonly clock: () => number = Date.now,
    private readonly maxConcurrent = LOCAL_MAX_CONCURRENT_CHECKS,
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

  async list(prefix = ''): Promise<ScheduleSpec[]> {
    // The phase hint is not part of what reconcile compares.
    return [...this.schedules.values()]
      .filter(({ spec }) => spec.monitorId.startsWith(prefix))
      .map(({ spec: { monitorId, intervalSeconds, enabled } }) => ({ monitorId, intervalSeconds, enabled }));
  }

  async triggerNow(monitorId: string): Promise<void> {
    // Timed against this scheduler's own (real) clock, like its timers.
    const dueAt = this.clock();
    setTimeout(() => void this.fire(monitorId, dueAt), 0).unref?.();
  }

  /** Resolves when no check is running; for a clean shutdown and for tests. */
  async idle(): Promise<void> {
    while (this.running.size) await new Promise((r) => setTimeout(r, 5));
  }

  stop(): void {
    for (const { timer } of this.schedules.values()) clearInterval(timer);
    this.schedules.clear();
    // Queued checks have not started: they are dropped; running ones finish (see idle).
    for (const { monitorId } of this.queue.splice(0)) this.running.delete(monitorId);
  }

  private set(spec: ScheduleSpec): void {
    const entry: { spec: ScheduleSpec; timer?: NodeJS.Timeout } = { spec: { ...spec } };
    clearInterval(this.schedules.get(spec.monitorId)?.timer);
    if (spec.enabled) {
      const periodMs = spec.intervalSeconds * 1000;
      // issue 18: on its phase, the first tick comes at lastCheckedAt + interval (at once when
      // overdue), not a full interval after this process started.
      const firstInMs = spec.lastCheckedAt == null ? periodMs : Math.max(0, spec.lastCheckedAt + periodMs - this.clock());
      // The k-th tick is due at firstDue + k × period, and each tick is timed against its own due
      // time: a late one (a slow boot, a blocked event loop) shifts no later tick (bench §scale).
      const firstDue = this.clock() + Math.min(firstInMs, periodMs);
      let tick = 0;
      const next = () => {
        const due = firstDue + tick * periodMs;
        entry.timer = setTimeout(() => {
          this.fire(spec.monitorId, due);
          // After a stall longer than a period, the ticks inside it are skipped: one check, not a burst.
          tick = Math.max(tick + 1, Math.floor((this.clock() - firstDue) / periodMs) + 1);
          next();
        }, Math.max(0, due - this.clock()));
        entry.timer.unref?.();
      };
      next();
    }
    this.schedules.set(spec.monitorId, entry);
  }

  private fire(monitorId: string, dueAt: number): void {
    if (!this.runCheck || this.running.has(monitorId)) return;
    this.running.add(monitorId);
    this.queue.push({ monitorId, dueAt });
    this.drain();
  }

  private drain(): void {
    while (this.active < this.maxConcurrent && this.queue.length) {
      const { monitorId, dueAt } = this.queue.shift()!;
      this.active++;
      void this.run(monitorId, dueAt);
    }
  }

  private async run(monitorId: string, dueAt: number): Promise<void> {
    try {
      await this.runCheck!(monitorId, dueAt);
    } catch (error) {
      this.log.error('check.failed', { monitorId, ...describeError(error) });
    } finally {
      this.running.delete(monitorId);
      this.active--;
      this.drain();
    }
  }
}
