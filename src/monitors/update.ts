import { and, eq } from 'drizzle-orm';
import { alertContactIdsFor } from '../alerts/monitor-contacts.js';
import { auditStatement, type Actor } from '../audit/record.js';
import { monitorChanges } from '../audit/redact.js';
import { mapPlan, plan, runPlan } from '../db/plan.js';
import { monitors, type MonitorRow } from '../db/schema.js';
import { badInput, notFound } from '../domain/errors.js';
import type { AccountRef } from '../domain/plans.js';
import type { Services } from '../services.js';
import { notOfKind } from './fields.js';
import { immediateCheckBudget, triggerCheck } from './immediate-check.js';
import { kindOf } from './kinds/index.js';
import type { Columns, MonitorKind } from './kinds/kind.js';
import { withMonitorLease } from './lease.js';
import { pauseColumns, pauseStatements, resumeChange } from './pause.js';
import { selectMonitors, type MonitorRow as ShownMonitor } from './reads.js';
import { assertIntervalAllowed, regionsColumn } from './rules.js';
import type { UpdateMonitorInput } from './schemas.js';
import { scheduleOrRefuse, scheduleSpecOf, writeOrRestoreSchedule } from './scheduling.js';
import { settingsView } from './wire.js';

/**
 * Changes a monitor's settings, holding its lease.
 *
 * Order: scheduler first (only when the schedule must change), then the database in one batch (the
 * row, a pause's or resume's time accounting and the incident a pause closes, the audit entry, the
 * immediate-check budgets when what is checked changed or the monitor resumed, and the row as
 * stored), then that check. Undo: if the scheduler fails nothing was changed (503); if the
 * database then fails, the old schedule is put back, so both keep the old state; a failed check
 * only delays the next verdict (the schedule stands).
 */
export function updateMonitor(svc: Services, account: AccountRef, input: UpdateMonitorInput, actor: Actor): Promise<UpdatedMonitor> {
  return withMonitorLease(svc, account.id, input.id, (before) => applyUpdate(svc, account, before, input, actor));
}

/** The monitor after the edit; `credentialsCleared` when a move to another origin dropped its credentials (the app asks for them again). */
export type UpdatedMonitor = { monitor: ShownMonitor; credentialsCleared: boolean };

async function applyUpdate(svc: Services, account: AccountRef, before: MonitorRow, input: UpdateMonitorInput, actor: Actor): Promise<UpdatedMonitor> {
  const { id, kind: sentKind, name, intervalSeconds, paused, tags, alertContactIds, regions, failureQuorum, alertAfterSeconds, remindEverySeconds, ...rest } = input;
  const settings: Record<string, unknown> = definedOnly(rest);
  if (intervalSeconds !== undefined) assertIntervalAllowed(account.plan, intervalSeconds);
  const kind = kindOf(before.kind);
  assertFieldsOfKind(kind, sentKind, settings);
  const written = await kind.write(svc, settings, { id, before, by: actor.actorId });
  // Checked again whenever either changes, against the other as it will be.
  const regionChange =
    regions !== undefined || failureQuorum !== undefined
      ? {
          regions: regionsColumn(account.plan, svc.config.regions, before.kind, regions ?? before.regions, failureQuorum !== undefined ? failureQuorum : before.failureQuorum),
          ...(failureQuorum !== undefined ? { failureQuorum } : {}),
        }
      : {};
  const common: Columns = definedOnly({
    name,
    intervalSeconds,
    paused,
    tags: tags && JSON.stringify(tags),
    alertContactIds: alertContactIds && (await alertContactIdsFor(svc, account.id, alertContactIds)),
    alertAfterSeconds,
    remindEverySeconds,
    ...regionChange,
  });
  const after: MonitorRow = { ...before, ...(common as Partial<MonitorRow>), ...(written.columns as Partial<MonitorRow>) };
  const oldSpec = scheduleSpecOf(before, account.plan);
  const newSpec = scheduleSpecOf(after, account.plan);
  const scheduleChanged = oldSpec.intervalSeconds !== newSpec.intervalSeconds || oldSpec.enabled !== newSpec.enabled;
  // A new target makes the last verdict meaningless: start again from pending.
  const retargeted = after.url !== before.url;
  const resetState = retargeted ? { status: 'pending' as const, statusSince: new Date(svc.now()) } : {};
  // A pause closes the incident and stops the clock; a resume starts fresh.
  const now = svc.now();
  const pausing = !before.paused && after.paused;
  const resuming = before.paused && !after.paused;
  const resume = resuming ? resumeChange(svc, before, now) : null;
  const stateChange = pausing
    ? { columns: pauseColumns(now), statements: pauseStatements(svc, before, now) }
    : (resume ?? { columns: {}, statements: [] });
  // An edit that changes what is checked gets a fresh verdict at once, as a resume does, within
  // the immediate-check budgets (past them, the schedule checks it in its turn).
  const shown: Record<string, unknown> = settingsView(before);
  const checkAffected = kind.checkAffecting.some((key) => key in settings && JSON.stringify(shown[key]) !== JSON.stringify(settings[key]));
  const budget = (checkAffected || resuming) && !after.paused ? mapPlan(immediateCheckBudget(svc, account, after), (hit) => hit.allowed) : plan([], () => false);

  if (scheduleChanged) {
    await scheduleOrRefuse(svc, (scheduler) => scheduler.update(newSpec), {
      event: 'monitor.schedule_update_failed',
      monitorId: id,
      refusal: 'could not update the schedule; nothing was changed, please try again',
    });
  }
  const own = and(eq(monitors.id, id), eq(monitors.accountId, account.id));
  const changes = { ...settings, ...definedOnly({ name, intervalSeconds, paused, tags, alertContactIds, regions, failureQuorum, alertAfterSeconds, remindEverySeconds }), ...(written.credentialsCleared ? { auth: null } : {}) };
  const [monitor, checkNow] = await writeOrRestoreSchedule(
    () =>
      runPlan(svc.db, {
        statements: [
          svc.db
            .update(monitors)
            .set({ ...common, ...written.columns, ...resetState, ...stateChange.columns, updatedAt: new Date(now) })
            .where(own),
          ...stateChange.statements,
          auditStatement(svc, actor, { action: 'monitors.update', entity: 'monitors', entityId: id, changes: monitorChanges(changes) }),
          ...budget.statements,
          selectMonitors(svc.db).where(own),
        ],
        finish: (results) => {
          const [row] = results.at(-1) as ShownMonitor[];
          // Under the lease nothing else deletes it.
          if (!row) throw notFound('monitor');
          const allowed = budget.finish(results.slice(-1 - budget.statements.length, -1));
          return [row, allowed] as const;
        },
      }),
    async () => {
      if (scheduleChanged) await svc.scheduler.update(oldSpec);
    },
  );
  if (checkNow) await triggerCheck(svc, id);
  return { monitor, credentialsCleared: written.credentialsCleared ?? false };
}

/** The monitor's kind is fixed, and an edit may only name the fields that kind has: each refusal names the field. */
function assertFieldsOfKind(kind: MonitorKind, sentKind: string | undefined, settings: Record<string, unknown>): void {
  if (sentKind !== undefined && sentKind !== kind.name) throw badInput('kind', `a monitor's kind cannot change; this one is ${kind.name}`);
  const wrong = Object.keys(settings).find((key) => !kind.fields.includes(key));
  if (wrong) throw badInput(wrong, notOfKind(kind.name, wrong));
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

