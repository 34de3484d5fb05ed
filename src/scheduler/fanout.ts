import { and, count, eq, gte, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { accounts, jobCursors, monitors } from '../db/schema.js';
import { effectiveIntervalSeconds, PLAN_LIMITS, PLANS } from '../domain/plans.js';
import type { ScheduleSpec, Scheduler } from './port.js';
import { shardCountFor, type ShardSchedules } from './shards.js';

/**
 * A monitor's plan-effective interval in ms, in SQL (the rule is effectiveIntervalSeconds in
 * src/domain/plans.ts: never shorter than the plan's shortest; this is that rule, built from the same table).
 */
export function effectiveIntervalMs(): SQL<number> {
  const cases = PLANS.map((p) => sql`WHEN ${p} THEN ${PLAN_LIMITS[p].minIntervalSeconds}`);
  const floor = sql`CASE (SELECT ${accounts.plan} FROM ${accounts} WHERE ${accounts.id} = ${monitors.accountId}) ${sql.join(cases, sql` `)} ELSE 0 END`;
  return sql<number>`(max(${monitors.intervalSeconds}, ${floor}) * 1000)`;
}

/** The job_cursors row holding the shard count whose schedules exist. */
export const SHARD_COUNT_JOB = 'fanout-shards';

export type FanoutDeps = {
  db: Db;
  /** The services' clock: next_check_at is compared with it by the ticks. */
  now: () => number;
  /** The most monitors a shard holds before the shards double (FANOUT_SHARD_SIZE). */
  shardSize: number;
  shards: ShardSchedules;
  /** Runs one check at once, outside the ticks (the first check of a new monitor, a resume, "check now"). */
  runNow: (monitorId: string, requestedAt: number) => Promise<void>;
};

/**
 * Fan-out mode behind the same port (ADR 0015): a monitor's "schedule" is its `next_check_at`, read
 * by its shard's one-minute tick; the shards' own schedules follow the number of monitors.
 * Creating, updating and removing a schedule keep the same meaning as one schedule per monitor:
 * enabled or not, at its interval, on its phase (the first check a full interval after the last).
 */
export class FanoutScheduler implements Scheduler {
  /** Where the shard schedules live (the local timers are given their work through it). */
  readonly shards: ShardSchedules;

  constructor(private readonly deps: FanoutDeps) {
    this.shards = deps.shards;
  }

  async create(spec: ScheduleSpec): Promise<void> {
    await this.setNext(spec);
    await this.rebalance();
  }

  async update(spec: ScheduleSpec): Promise<void> {
    await this.setNext(spec);
  }

  async remove(monitorId: string): Promise<void> {
    // The row goes with the monitor, after this call (src/monitors/delete.ts): it no longer counts.
    await this.rebalance({ leaving: monitorId });
  }

  async list(prefix = ''): Promise<ScheduleSpec[]> {
    const rows = await this.deps.db
      .select({ id: monitors.id, intervalSeconds: monitors.intervalSeconds, nextCheckAt: monitors.nextCheckAt, plan: accounts.plan })
      .from(monitors)
      .innerJoin(accounts, eq(accounts.id, monitors.accountId))
      .where(and(gte(monitors.id, prefix), lt(monitors.id, `${prefix}\u{10FFFF}`)));
    return rows.map((m) => ({
      monitorId: m.id,
      intervalSeconds: effectiveIntervalSeconds(m.intervalSeconds, m.plan),
      enabled: m.nextCheckAt !== null,
    }));
  }

  triggerNow(monitorId: string, requestedAt: number): Promise<void> {
    return this.deps.runNow(monitorId, requestedAt);
  }

  /**
   * Brings the shard schedules to the count the monitors need (shardCountFor): the new set is
   * created before the old one is deleted, so no tick is skipped; while both run, a monitor is
   * recorded by whichever tick writes first (src/checker/tick.ts), never twice. `repair` re-creates
   * the current set even when the count is unchanged (reconcile: a schedule deleted by hand).
   */
  async rebalance({ repair = false, leaving }: { repair?: boolean; leaving?: string } = {}): Promise<number> {
    const { db, shardSize } = this.deps;
    const shards = this.shards;
    const [[total], [saved]] = await db.batch([
      db.select({ n: count() }).from(monitors).where(leaving === undefined ? undefined : ne(monitors.id, leaving)),
      db.select({ cursor: jobCursors.cursor }).from(jobCursors).where(eq(jobCursors.job, SHARD_COUNT_JOB)),
    ]);
    const current = Number(saved?.cursor ?? 0);
    const target = shardCountFor(total?.n ?? 0, shardSize, current);
    if (target === current && !repair) return current;
    await shards.ensure(target);
    if (target !== current) {
      const row = { cursor: String(target), finishedAt: null, updatedAt: new Date(this.deps.now()) };
      await db.insert(jobCursors).values({ job: SHARD_COUNT_JOB, ...row }).onConflictDoUpdate({ target: jobCursors.job, set: row });
      if (current > 0) await shards.retire(current);
    }
    return target;
  }

  /** The shard count whose schedules exist (0 before the first monitor). */
  async shardCount(): Promise<number> {
    const [saved] = await this.deps.db.select({ cursor: jobCursors.cursor }).from(jobCursors).where(eq(jobCursors.job, SHARD_COUNT_JOB));
    return Number(saved?.cursor ?? 0);
  }

  /** Enabled: due a full interval after its last check (at once when that is past), or after now when never checked. */
  private async setNext(spec: ScheduleSpec): Promise<void> {
    const now = this.deps.now();
    const next = spec.enabled ? Math.max(now, (spec.lastCheckedAt ?? now) + spec.intervalSeconds * 1000) : null;
    await this.deps.db.update(monitors).set({ nextCheckAt: next }).where(eq(monitors.id, spec.monitorId));
  }
}
