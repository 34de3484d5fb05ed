import type { Logger } from '../log.js';
import { describeError } from '../log.js';
import type { RunCheck } from './local.js';
import { shardPhaseMs, TICK_MS, type ShardSchedules } from './shards.js';

/** One shard's tick: `dueAt` is when it was due (ms, the clock this scheduler was given). */
export type RunTick = (shard: number, shards: number, dueAt: number) => Promise<unknown>;

/**
 * Fan-out mode in one process (`npm start`, tests, the bench): one in-process timer per shard, each
 * firing every tick on its own phase, and the checks asked for at once (a new monitor's first)
 * run here too. A late timer (a blocked event loop) shifts no later tick; a stall longer than a
 * tick is one tick, not a burst.
 */
export class LocalShardTicks implements ShardSchedules {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private run: { check: RunCheck; tick: RunTick } | undefined;

  constructor(
    private readonly log: Logger,
    /** The clock the ticks' due times are read from (the services' clock). */
    private readonly clock: () => number = Date.now,
    private readonly tickMs = TICK_MS,
  ) {}

  /** Set once the checker is built (it needs the services this scheduler is part of). */
  attach(run: { check: RunCheck; tick: RunTick }): void {
    this.run = run;
  }

  async ensure(count: number): Promise<void> {
    for (let i = 0; i < count; i++) if (!this.timers.has(key(i, count))) this.start(i, count);
  }

  async retire(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      clearTimeout(this.timers.get(key(i, count)));
      this.timers.delete(key(i, count));
    }
  }

  /** The shard schedules that exist, as `count-index`: for tests. */
  shardTimers(): string[] {
    return [...this.timers.keys()].sort();
  }

  runNow(monitorId: string, requestedAt: number): Promise<void> {
    setTimeout(() => void this.track(() => this.run?.check(monitorId, requestedAt)), 0).unref?.();
    return Promise.resolve();
  }

  /** Resolves when no tick or check is running; for a clean shutdown and for tests. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private start(shard: number, shards: number): void {
    // Shard 0 ticks at once (after a restart, its overdue monitors are checked without waiting a
    // minute); the others spread over the minute, so one process is never handed every shard at once.
    const firstDue = this.clock() + shardPhaseMs(shard, shards, this.tickMs);
    let tick = 0;
    const next = () => {
      const due = firstDue + tick * this.tickMs;
      const timer = setTimeout(() => {
        void this.track(() => this.run?.tick(shard, shards, due));
        tick = Math.max(tick + 1, Math.floor((this.clock() - firstDue) / this.tickMs) + 1);
        if (this.timers.get(key(shard, shards)) === timer) next();
      }, Math.max(0, due - this.clock()));
      timer.unref?.();
      this.timers.set(key(shard, shards), timer);
    };
    next();
  }

  private async track(work: () => Promise<unknown> | undefined): Promise<void> {
    const running = Promise.resolve()
      .then(work)
      .catch((error: unknown) => this.log.error('tick.failed', describeError(error)));
    this.inFlight.add(running);
    try {
      await running;
    } finally {
      this.inFlight.delete(running);
    }
  }
}

const key = (index: number, count: number) => `${count}-${index}`;
