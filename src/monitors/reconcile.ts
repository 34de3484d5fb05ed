import { and, eq, gte, lt } from 'drizzle-orm';
import { accounts, jobCursors, monitors } from '../db/schema.js';
import { describeError } from '../log.js';
import { FanoutScheduler } from '../scheduler/fanout.js';
import type { ScheduleSpec } from '../scheduler/port.js';
import type { Services } from '../services.js';
import { tryMonitorLease } from './lease.js';
import { scheduleSpecOf } from './scheduling.js';

export type ReconcileReport = {
  monitors: number;
  created: number;
  updated: number;
  removed: number;
  failed: number;
  /** Monitors being changed by a request at that moment; that request sets their schedule. */
  skipped: number;
  /** Id prefixes compared in this run (of SHARDS.length). */
  shards: number;
  /** Whether the pass reached its end; if not, the next run goes on from where this one stopped. */
  done: boolean;
};

const JOB = 'reconcile';
/**
 * Monitor ids are `mon_` + [a-z0-9]: one shard per character after the prefix. A run holds one
 * shard's schedules and monitors at a time (≈ 28k of a million), and a run cut short by its deadline
 * resumes at the next shard.
 */
export const SHARDS = [...'0123456789abcdefghijklmnopqrstuvwxyz'].map((c) => `mon_${c}`);

export type ReconcileOptions = {
  /** Stop before starting a shard at or after this time (the clock's ms). */
  deadline?: number;
};

/**
 * The database is the truth: a monitor without a schedule gets one, a schedule without a monitor
 * goes, and a schedule with the wrong rate or state is corrected. Each repair is independent, so
 * one AWS failure does not stop the rest. Shard by shard, from where the last run stopped.
 */
export async function reconcile(svc: Services, opts: ReconcileOptions = {}): Promise<ReconcileReport> {
  const report: ReconcileReport = { monitors: 0, created: 0, updated: 0, removed: 0, failed: 0, skipped: 0, shards: 0, done: false };
  // Fan-out mode: the shard schedules first (one lost, or a process's timers after a restart).
  if (svc.scheduler instanceof FanoutScheduler) await svc.scheduler.rebalance({ repair: true });
  const [saved] = await svc.db.select().from(jobCursors).where(eq(jobCursors.job, JOB));
  const start = Math.max(0, SHARDS.indexOf(saved?.cursor ?? SHARDS[0]!));
  for (let i = start; i < SHARDS.length; i++) {
    if (opts.deadline !== undefined && svc.now() >= opts.deadline) {
      await saveCursor(svc, SHARDS[i]!, saved?.finishedAt ?? null);
      return finish(svc, report);
    }
    await reconcileShard(svc, SHARDS[i]!, report);
    report.shards++;
  }
  await saveCursor(svc, null, new Date(svc.now()));
  report.done = true;
  return finish(svc, report);
}

/** Whether a pass is under way (a cursor is saved) or the last one ended at least `everyMs` ago. */
export async function reconcileDue(svc: Services, everyMs: number): Promise<boolean> {
  const [saved] = await svc.db.select().from(jobCursors).where(eq(jobCursors.job, JOB));
  return !saved || saved.cursor !== null || !saved.finishedAt || svc.now() - saved.finishedAt.getTime() >= everyMs;
}

async function saveCursor(svc: Services, cursor: string | null, finishedAt: Date | null): Promise<void> {
  const row = { cursor, finishedAt, updatedAt: new Date(svc.now()) };
  await svc.db.insert(jobCursors).values({ job: JOB, ...row }).onConflictDoUpdate({ target: jobCursors.job, set: row });
}

function finish(svc: Services, report: ReconcileReport): ReconcileReport {
  if (report.created + report.updated + report.removed + report.failed > 0 || !report.done) svc.log.info('reconcile.done', report);
  return report;
}

/** Compares one shard: the monitors whose id starts with `prefix`, and the schedules named so. */
async function reconcileShard(svc: Services, prefix: string, report: ReconcileReport): Promise<void> {
  const specs = await wantedSpecs(svc, { prefix });
  const wanted = new Map(specs.map((s) => [s.monitorId, s]));
  const actual = new Map((await svc.scheduler.list(prefix)).map((s) => [s.monitorId, s]));
  report.monitors += specs.length;

  const repair = async (kind: 'created' | 'updated' | 'removed', monitorId: string, action: () => Promise<boolean>) => {
    try {
      report[(await action()) ? kind : 'skipped']++;
    } catch (error) {
      report.failed++;
      svc.log.error('reconcile.repair_failed', { kind, monitorId, ...describeError(error) });
    }
  };

  // The listing above is a snapshot: each repair re-reads its monitor under the monitor's lease, so
  // reconcile never writes back a state that a request changed in the meantime.
  const resync = (id: string, write: (spec: ScheduleSpec) => Promise<void>) => async () =>
    (await tryMonitorLease(svc, id, async () => {
      const spec = await currentSpec(svc, id);
      if (spec) await write(spec);
      return true;
    })) ?? false;

  for (const [id, spec] of wanted) {
    const have = actual.get(id);
    if (!have) await repair('created', id, resync(id, (s) => svc.scheduler.create(s)));
    else if (!sameSpec(have, spec)) await repair('updated', id, resync(id, (s) => svc.scheduler.update(s)));
  }
  for (const id of actual.keys()) {
    if (wanted.has(id)) continue;
    // A monitor created since the snapshot has its row before its schedule: look again.
    await repair('removed', id, async () => {
      if (await currentSpec(svc, id)) return false;
      await svc.scheduler.remove(id);
      return true;
    });
  }
}

/** What the database says the schedules must be: of one monitor, or of the monitors whose id starts with `prefix`. */
async function wantedSpecs(svc: Services, which: { id: string } | { prefix: string }): Promise<ScheduleSpec[]> {
  const rows = await svc.db
    .select({
      id: monitors.id,
      intervalSeconds: monitors.intervalSeconds,
      paused: monitors.paused,
      lastCheckedAt: monitors.lastCheckedAt,
      plan: accounts.plan,
    })
    .from(monitors)
    .innerJoin(accounts, eq(accounts.id, monitors.accountId))
    .where('id' in which ? eq(monitors.id, which.id) : and(gte(monitors.id, which.prefix), lt(monitors.id, `${which.prefix}\u{10FFFF}`)));
  return rows.map((m) => scheduleSpecOf(m, m.plan));
}

async function currentSpec(svc: Services, id: string): Promise<ScheduleSpec | null> {
  return (await wantedSpecs(svc, { id }))[0] ?? null;
}

function sameSpec(a: ScheduleSpec, b: ScheduleSpec): boolean {
  return a.intervalSeconds === b.intervalSeconds && a.enabled === b.enabled;
}
