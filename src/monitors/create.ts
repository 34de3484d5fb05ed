import { eq, sql } from 'drizzle-orm';
import { alertContactIdsPlan } from '../alerts/monitor-contacts.js';
import { auditStatement, type Actor } from '../audit/record.js';
import { monitorChanges } from '../audit/redact.js';
import { insertWithinLimitStatement, type InsertRow, type Quota } from '../db/insert-within-limit.js';
import { both, mapPlan, plan, runPlan } from '../db/plan.js';
import { monitors } from '../db/schema.js';
import { limitReached } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { limitsOf, type AccountRef } from '../domain/plans.js';
import type { Services } from '../services.js';
import { immediateCheckBudget, triggerCheck } from './immediate-check.js';
import { kindOf } from './kinds/index.js';
import { selectMonitors, type MonitorRow } from './reads.js';
import { assertIntervalAllowed, regionsColumn } from './rules.js';
import type { CreateMonitorInput } from './schemas.js';
import { scheduleOrRefuse, scheduleSpecOf } from './scheduling.js';

/**
 * Creates the monitor and its schedule, or neither.
 *
 * Order: database first, in one round trip: the row, inserted only while the plan's monitor limit
 * allows and every contact it names is the account's, its audit entry, the immediate-check budgets
 * and the row as stored. Then the scheduler. Undo: if the schedule cannot be created, the row is
 * deleted (and its budget given back) and the caller gets a 503 to retry; nothing half-made
 * survives, as a monitor without a schedule would silently never run. A heartbeat's ping token is
 * returned once, with the monitor, and is lost with it if the create is undone.
 */
export async function createMonitor(
  svc: Services,
  account: AccountRef,
  input: CreateMonitorInput,
  actor: Actor,
): Promise<MonitorRow & { pingToken?: string }> {
  const { kind, name, intervalSeconds: asked, paused, tags, alertContactIds, regions, failureQuorum, alertAfterSeconds, remindEverySeconds, ...settings } = input;
  const limits = limitsOf(account.plan);
  const intervalSeconds = asked ?? limits.minIntervalSeconds;
  assertIntervalAllowed(account.plan, intervalSeconds);
  const regionList = regionsColumn(account.plan, svc.config.regions, kind, regions ?? null, failureQuorum ?? null);
  const id = newId('mon');
  const written = await kindOf(kind).write(svc, settings, { id, before: null, by: actor.actorId });

  const now = new Date(svc.now());
  const contacts = alertContactIdsPlan(svc, account.id, alertContactIds);
  const row: InsertRow<typeof monitors> = {
    id,
    accountId: account.id,
    name,
    url: '',
    intervalSeconds,
    paused,
    tags: JSON.stringify(tags),
    status: 'pending',
    statusSince: now,
    createdAt: now,
    updatedAt: now,
    kind,
    accruedUntil: null,
    alertContactIds: contacts.ids,
    alertAfterSeconds,
    remindEverySeconds,
    regions: regionList,
    failureQuorum: failureQuorum ?? null,
    ...written.columns,
  };
  const counted = eq(monitors.accountId, account.id);
  const quota: Quota = {
    counted,
    limit: limits.maxMonitors,
    refuse: (have) =>
      limitReached(`${limits.label} plan allows ${limits.maxMonitors} monitors; you have ${have}. Delete a monitor or upgrade your plan.`, {
        plan: account.plan,
        limit: limits.maxMonitors,
        current: have,
      }),
  };
  const inserted = sql`EXISTS (SELECT 1 FROM ${monitors} WHERE ${monitors.id} = ${id})`;
  const insert = plan(
    [
      svc.db.run(insertWithinLimitStatement(monitors, row, quota, contacts.known)),
      auditStatement(svc, actor, { action: 'monitors.create', entity: 'monitors', entityId: id, changes: monitorChanges(input) }, sql`changes() = 1`),
      selectMonitors(svc.db).where(eq(monitors.id, id)),
      svc.db.select({ n: sql<number>`count(*)` }).from(monitors).where(counted),
    ],
    ([, , [monitor], [have]]) => {
      if (!monitor) throw quota.refuse(have?.n ?? 0);
      return monitor;
    },
  );
  // A paused monitor spends no budget: it is not checked until resumed.
  const budget = paused ? plan([], () => false) : mapPlan(immediateCheckBudget(svc, account, { id, intervalSeconds }, inserted), (hit) => hit.allowed);
  const [, [monitor, checkNow]] = await runPlan(svc.db, both(contacts.verdict, both(insert, budget)));

  await scheduleOrRefuse(svc, (scheduler) => scheduler.create(scheduleSpecOf(monitor, account.plan)), {
    event: 'monitor.schedule_create_failed',
    monitorId: id,
    refusal: 'could not schedule checks for this monitor; nothing was created, please try again',
    undo: () =>
      svc.db.batch([
        svc.db.delete(monitors).where(eq(monitors.id, id)),
        svc.db.run(sql`DELETE FROM rate_limits WHERE key = ${`immediate:${id}`}`),
        ...(checkNow ? [svc.db.run(sql`UPDATE rate_limits SET count = count - 1 WHERE key = ${`immediate-account:${account.id}`} AND count > 0`)] : []),
      ]),
  });
  if (checkNow) await triggerCheck(svc, id);
  return written.pingToken ? { ...monitor, pingToken: written.pingToken } : monitor;
}
