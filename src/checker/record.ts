import { and, eq, fillPlaceholders, isNull, sql, type Query } from 'drizzle-orm';
import { alertOnCertificate, alertOnDown, alertOnUp, wakeForEvents } from '../alerts/outbox.js';
import { rollupUpsert, RollupDeltas, type Statement } from '../db/accrual.js';
import type { Db } from '../db/client.js';
import { regionRollupUpsert } from '../db/region-rollups.js';
import { checks, incidents, monitors, type MonitorRow } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { bucketStart, ROLLUP_GRAINS } from '../domain/time.js';
import { categoryOf } from '../domain/uptime.js';
import type { ProbeResult } from '../probes/result.js';
import { staleStateGuard, stillAsRead, type RecordServices } from './state-guard.js';

export type Verdict = {
  status: 'up' | 'down' | 'degraded' | 'maintenance';
  changed: boolean;
  /** Set when a guarded recording found the monitor changed since it was read: nothing was written. */
  stale?: true;
};

/** What the check's verdict depends on besides the probe. */
export type RecordContext = {
  /** Inside a maintenance window: status `maintenance`, no incident opens, time excluded from uptime. */
  maintenance?: boolean;
  /**
   * Record only if the monitor's state (status, accrued-until) is still the one read: a heartbeat's
   * ping and its scheduled evaluation may both record from the same state, and only the first may
   * (else the second doubles the check, the transition and the rollups' time).
   */
  guarded?: boolean;
};

/** The status a check result gives (degraded is up but slow; maintenance overrides). */
export function statusFor(result: ProbeResult, ctx: RecordContext): Verdict['status'] {
  if (ctx.maintenance) return 'maintenance';
  if (!result.ok) return 'down';
  return result.degraded ? 'degraded' : 'up';
}

/** What recording a check reads of its monitor (src/checker/run.ts selects these columns). */
export type RecordedMonitor = Pick<MonitorRow, 'id' | 'status' | 'statusSince' | 'accruedUntil'>;

/**
 * The two statements every check writes, built once per database: drizzle builds their text with
 * placeholders, and each check only fills in the values (no query building per check).
 */
function build(db: Db) {
  const p = sql.placeholder;
  const insertCheck = db
    .insert(checks)
    .values({ monitorId: p('id'), checkedAt: p('at'), ok: p('ok'), statusCode: p('statusCode'), responseTimeMs: p('responseTimeMs'), reason: p('reason'), regions: p('regions') })
    .prepare()
    .getQuery();
  // drizzle's update takes placeholders only inside sql``, so these values arrive as the driver stores them.
  const v = (name: string) => sql`${p(name)}`;
  const updateMonitor = db
    .update(monitors)
    .set({
      status: v('status'),
      statusSince: v('sinceMs'),
      lastCheckedAt: v('atMs'),
      lastStatusCode: v('statusCode'),
      lastResponseTimeMs: v('responseTimeMs'),
      lastReason: v('reason'),
      // A probe that saw no certificate leaves the last one known.
      certExpiresAt: sql`coalesce(${p('certExpiresAt')}, ${monitors.certExpiresAt})`,
      accruedUntil: v('atMs'),
      lastRegions: v('regionsJson'),
    })
    .where(eq(monitors.id, p('id')))
    .prepare()
    .getQuery();
  return { insertCheck, updateMonitor };
}

const built = new WeakMap<Db, ReturnType<typeof build>>();
const statementsFor = (db: Db) => built.get(db) ?? built.set(db, build(db)).get(db)!;

const fill = (q: Query, values: Record<string, unknown>): Statement => ({ sql: q.sql, args: fillPlaceholders(q.params, values) as Statement['args'] });
const ofDrizzle = (q: Query): Statement => ({ sql: q.sql, args: q.params as Statement['args'] });

/**
 * Writes one check in one atomic batch: the check row, the monitor's current state, the incident
 * (opened on the way down, resolved on the way up) with its alerts (the outbox rows), the hourly and
 * daily rollups, and the time since the last check added to the rollups'
 * up/down/excluded counters; then wakes whoever delivers the alerts. An "up" monitor staying up
 * writes three statements: the check, the monitor, and one upsert of its hourly and daily rollups
 * (the check's counters and the accrued time together).
 *
 * Alerts follow the incident, never the status: degraded is up (no incident, no alert); inside a
 * maintenance window no incident opens and no monitor.down or certificate warning is sent (the
 * first check after the window sends the warning), but an incident that was open before the window
 * and closes inside it sends its monitor.up, since its monitor.down was sent; a window ending on a
 * failing target, and a heartbeat going late, open the incident here like any other failure, with
 * its monitor.down. Pausing closes the incident
 * elsewhere (src/monitors/pause.ts) and sends nothing (docs/ALERTS.md).
 */
export async function recordCheck(
  svc: RecordServices,
  monitor: RecordedMonitor,
  result: ProbeResult,
  checkedAt: number,
  /** When the failure was first seen (the confirmation re-check comes later). */
  failingSince: number = checkedAt,
  ctx: RecordContext = {},
): Promise<Verdict> {
  const { verdict, batch, eventIds } = checkWrite(svc.db, monitor, result, checkedAt, failingSince, ctx);
  const db = svc.db;
  // The libSQL client directly: drizzle's db.batch would rebuild every statement (and cannot fill placeholders).
  try {
    // A guarded batch takes the write lock at once, so its check and its writes see one state.
    await db.$client.batch(batch, ctx.guarded ? 'write' : undefined);
  } catch (error) {
    // status: what this recording would have set; the monitor's own state is the other writer's.
    if (ctx.guarded && !(await stillAsRead(db, monitor))) return { status: verdict.status, changed: false, stale: true };
    throw error;
  }
  await wakeForEvents(svc, eventIds);
  return verdict;
}

/** One check's write, not yet sent: its statements (guard first when guarded), and the alert events to wake for after the commit. */
export type CheckWrite = { verdict: Verdict; batch: Statement[]; eventIds: string[] };

/**
 * What recordCheck writes, as statements: a fan-out tick sends many checks' statements in one
 * batch (src/checker/tick.ts).
 */
export function checkWrite(
  db: Db,
  monitor: RecordedMonitor,
  result: ProbeResult,
  checkedAt: number,
  failingSince: number,
  ctx: RecordContext,
): CheckWrite {
  const status = statusFor(result, ctx);
  const changed = monitor.status !== status;
  const since = changed ? new Date(status === 'down' ? failingSince : checkedAt) : monitor.statusSince;
  const at = new Date(checkedAt);
  // The check's own counters in the hourly and daily buckets it falls in.
  const deltas = new RollupDeltas();
  for (const grain of ROLLUP_GRAINS) {
    const bucket = deltas.bucket(grain, bucketStart(checkedAt, grain));
    bucket.checks += 1;
    bucket.okChecks += result.ok ? 1 : 0;
    bucket.totalResponseMs += result.ok ? result.responseTimeMs : 0;
  }
  // Time accounting: the stretch since the last accrual belongs to the previous status, except that
  // a monitor turning down is down from the first failure on (so downtime equals incident time).
  const accruedFrom = monitor.accruedUntil ?? monitor.statusSince?.getTime() ?? checkedAt;
  const splitAt = Math.max(accruedFrom, Math.min(since?.getTime() ?? checkedAt, checkedAt));
  deltas.accrue(accruedFrom, splitAt, categoryOf(monitor.status, false)).accrue(splitAt, checkedAt, categoryOf(status, false));
  // A target answering again closes the open incident, also inside a maintenance window (where the
  // status stays `maintenance`); only a monitor that was down, in maintenance or pending (its URL
  // changed while down) can have one open.
  const recovered = result.ok && (monitor.status === 'down' || monitor.status === 'maintenance' || monitor.status === 'pending');

  // Alerts ride in the same batch as the incident they report (src/alerts/outbox.ts). Inside a
  // maintenance window nothing opens, but a recovery still closes the loop: whoever was told
  // "down" before the window is told "up" (monitor.up is written only for an open incident).
  const opens = changed && status === 'down';
  const facts = { monitorId: monitor.id, at: checkedAt, statusCode: result.statusCode };
  const silent = status === 'maintenance';
  const alerts = opens && !silent ? alertOnDown(db, facts) : recovered ? alertOnUp(db, facts) : null;
  const cert = silent ? { statements: [], eventIds: [] } : alertOnCertificate(db, facts, result.certExpiresAt);

  // An incident opens when the monitor turns down (never inside a maintenance window: the status
  // is then `maintenance`), and closes on any successful check, also one inside a window.
  const incident = opens
    ? [
        // Deliveries are at-least-once, so the same transition can be recorded twice at once:
        // open an incident only if none is open (and the partial unique index insists).
        db.run(sql`
          INSERT INTO incidents (id, monitor_id, started_at, reason)
          SELECT ${newId('inc')}, ${monitor.id}, ${since!.getTime()}, ${result.reason ?? 'down'}
          WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE monitor_id = ${monitor.id} AND resolved_at IS NULL)`).getQuery(),
        ...(alerts?.statements ?? []).map((s) => s.getQuery()),
      ]
    : !recovered
      ? []
      : [
          // monitor.up is written first, while the incident it resolves is still the open one.
          ...(alerts?.statements ?? []).map((s) => s.getQuery()),
          db
            .update(incidents)
            .set({ resolvedAt: at, closedBy: 'recovered' })
            .where(and(eq(incidents.monitorId, monitor.id), isNull(incidents.resolvedAt)))
            .toSQL(),
        ];

  const { insertCheck, updateMonitor } = statementsFor(db);
  const values = {
    id: monitor.id,
    at,
    ok: result.ok,
    statusCode: result.statusCode,
    responseTimeMs: result.responseTimeMs,
    reason: result.reason,
    atMs: checkedAt,
    status,
    sinceMs: since?.getTime() ?? null,
    certExpiresAt: result.certExpiresAt?.getTime() ?? null,
    // What each region said, on the check (the column encodes it) and as the monitor's last (null: checked from home alone).
    regions: result.regions ?? null,
    regionsJson: result.regions ? JSON.stringify(result.regions) : null,
  };
  const regional = regionRollupUpsert(monitor.id, checkedAt, result.regions);
  const batch: Statement[] = [
    // Guarded: the monitor's state is first checked to be the one read, else the batch aborts whole.
    ...(ctx.guarded ? staleStateGuard(monitor) : []),
    fill(insertCheck, values),
    fill(updateMonitor, values),
    ...incident.map(ofDrizzle),
    rollupUpsert(monitor.id, deltas)!,
    ...(regional ? [regional] : []),
    ...cert.statements.map((s) => ofDrizzle(s.getQuery())),
  ];
  return { verdict: { status, changed }, batch, eventIds: [...(alerts?.eventIds ?? []), ...cert.eventIds] };
}
