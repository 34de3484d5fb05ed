import { eq } from 'drizzle-orm';
import { accounts, monitors } from '../db/schema.js';
import { describeError } from '../log.js';
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
};

/**
 * The database is the truth: a monitor without a schedule gets one, a schedule without a monitor
 * goes, and a schedule with the wrong rate or state is corrected. Each repair is independent, so
 * one AWS failure does not stop the rest.
 */
export async function reconcile(svc: Services): Promise<ReconcileReport> {
  const specs = await wantedSpecs(svc);
  const wanted = new Map(specs.map((s) => [s.monitorId, s]));
  const actual = new Map((await svc.scheduler.list()).map((s) => [s.monitorId, s]));
  const report: ReconcileReport = { monitors: specs.length, created: 0, updated: 0, removed: 0, failed: 0, skipped: 0 };

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
  if (report.created + report.updated + report.removed + report.failed > 0) svc.log.info('reconcile.done', report);
  return report;
}

/** What the database says each monitor's schedule must be (one monitor's, given its id). */
async function wantedSpecs(svc: Services, id?: string): Promise<ScheduleSpec[]> {
  const rows = await svc.db
    .select({ id: monitors.id, intervalSeconds: monitors.intervalSeconds, paused: monitors.paused, plan: accounts.plan })
    .from(monitors)
    .innerJoin(accounts, eq(accounts.id, monitors.accountId))
    .where(id === undefined ? undefined : eq(monitors.id, id));
  return rows.map((m) => scheduleSpecOf(m, m.plan));
}

async function currentSpec(svc: Services, id: string): Promise<ScheduleSpec | null> {
  return (await wantedSpecs(svc, id))[0] ?? null;
}

function sameSpec(a: ScheduleSpec, b: ScheduleSpec): boolean {
  return a.intervalSeconds === b.intervalSeconds && a.enabled === b.enabled;
}
