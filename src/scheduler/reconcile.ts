import { eq } from 'drizzle-orm';
import { accounts, monitors } from '../db/schema.js';
import { describeError } from '../log.js';
import { scheduleSpecOf } from '../monitors/service.js';
import type { Services } from '../services.js';
import type { ScheduleSpec } from './port.js';

export type ReconcileReport = { monitors: number; created: number; updated: number; removed: number; failed: number };

/**
 * The database is the truth: a monitor without a schedule gets one, a schedule without a monitor
 * goes, and a schedule with the wrong rate or state is corrected. Each repair is independent, so
 * one AWS failure does not stop the rest.
 */
export async function reconcile(svc: Services): Promise<ReconcileReport> {
  const rows = await svc.db
    .select({ id: monitors.id, intervalSeconds: monitors.intervalSeconds, paused: monitors.paused, plan: accounts.plan })
    .from(monitors)
    .innerJoin(accounts, eq(accounts.id, monitors.accountId));
  const wanted = new Map(rows.map((m) => [m.id, scheduleSpecOf(m, m.plan)]));
  const actual = new Map((await svc.scheduler.list()).map((s) => [s.monitorId, s]));
  const report: ReconcileReport = { monitors: rows.length, created: 0, updated: 0, removed: 0, failed: 0 };

  const repair = async (kind: 'created' | 'updated' | 'removed', monitorId: string, action: () => Promise<void>) => {
    try {
      await action();
      report[kind]++;
    } catch (error) {
      report.failed++;
      svc.log.error('reconcile.repair_failed', { kind, monitorId, ...describeError(error) });
    }
  };

  for (const [id, spec] of wanted) {
    const have = actual.get(id);
    if (!have) await repair('created', id, () => svc.scheduler.create(spec));
    else if (!sameSpec(have, spec)) await repair('updated', id, () => svc.scheduler.update(spec));
  }
  for (const id of actual.keys()) {
    if (!wanted.has(id)) await repair('removed', id, () => svc.scheduler.remove(id));
  }
  if (report.created + report.updated + report.removed + report.failed > 0) svc.log.info('reconcile.done', report);
  return report;
}

function sameSpec(a: ScheduleSpec, b: ScheduleSpec): boolean {
  return a.intervalSeconds === b.intervalSeconds && a.enabled === b.enabled;
}
