import { count, isNotNull, sql } from 'drizzle-orm';
import { lastCheck, lastCheckOn, newestCheckAt } from '../db/last-check.js';
import { accounts, jobCursors, monitors } from '../db/schema.js';
import { effectiveIntervalMs, FanoutScheduler, SHARD_COUNT_JOB } from '../scheduler/fanout.js';
import type { Scheduler } from '../scheduler/port.js';
import type { Services } from '../services.js';
import { SHARDS } from './reconcile.js';
import { scheduleSpecOf } from './scheduling.js';

export type SwitchReport = { to: 'fan-out' | 'per-monitor'; monitors: number; shards: number; removed: number };

/**
 * Moves every monitor to the other check mode without losing a check (ADR 0015); run after
 * deploying the new CHECK_MODE (`npm run checks:switch`). Into fan-out: each monitor's
 * next_check_at is set from its newest check plus its interval (on its phase; at once if overdue),
 * the shard schedules are created, and only then are the per-monitor schedules deleted. Back: the
 * per-monitor schedules are created first, then the shard schedules deleted. While both exist a
 * monitor may be checked twice, never not at all.
 */
export async function switchCheckMode(svc: Services, from: Scheduler, to: Scheduler): Promise<SwitchReport> {
  if (to instanceof FanoutScheduler) {
    await backfillNextCheck(svc);
    const shards = await to.rebalance({ repair: true });
    let removed = 0;
    for (const prefix of SHARDS) {
      for (const s of await from.list(prefix)) {
        await from.remove(s.monitorId);
        removed++;
      }
    }
    const [running] = await svc.db.select({ n: count() }).from(monitors).where(isNotNull(monitors.nextCheckAt));
    return { to: 'fan-out', monitors: running?.n ?? 0, shards, removed };
  }
  if (!(from instanceof FanoutScheduler)) throw new Error('switch from fan-out mode to per-monitor mode, or the other way');
  let created = 0;
  for (const prefix of SHARDS) {
    const rows = await svc.db
      .select({ id: monitors.id, intervalSeconds: monitors.intervalSeconds, paused: monitors.paused, lastCheckedAt: lastCheck.checkedAt, plan: accounts.plan })
      .from(monitors)
      .innerJoin(accounts, sql`${accounts.id} = ${monitors.accountId}`)
      .leftJoin(lastCheck, lastCheckOn)
      .where(sql`${monitors.id} >= ${prefix} AND ${monitors.id} < ${`${prefix}\u{10FFFF}`}`);
    for (const m of rows) {
      await to.create(scheduleSpecOf(m, m.plan));
      created++;
    }
  }
  const shards = await from.shardCount();
  if (shards > 0) await from.shards.retire(shards);
  await svc.db.batch([
    svc.db.update(monitors).set({ nextCheckAt: null }).where(isNotNull(monitors.nextCheckAt)),
    svc.db.delete(jobCursors).where(sql`${jobCursors.job} = ${SHARD_COUNT_JOB}`),
  ]);
  return { to: 'per-monitor', monitors: created, shards: 0, removed: shards };
}

/** next_check_at of every running monitor: its newest check + its plan-effective interval, or now when never checked. */
async function backfillNextCheck(svc: Services): Promise<void> {
  await svc.db.run(sql`
    UPDATE monitors SET next_check_at = CASE WHEN paused THEN NULL ELSE coalesce(
      ${newestCheckAt()} + ${effectiveIntervalMs()},
      ${svc.now()}) END`);
}
