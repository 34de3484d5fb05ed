import { eq, sql } from 'drizzle-orm';
import { alertContactIdsFor } from '../alerts/monitor-contacts.js';
import { auditStatement, type Actor } from '../audit/record.js';
import { monitorChanges } from '../audit/redact.js';
import { tcpUrl } from '../checker/kinds/tcp.js';
import { insertWithinLimitStatement, limitRefusal, type Quota } from '../db/insert-within-limit.js';
import { monitors, type MonitorRow } from '../db/schema.js';
import { limitReached, unavailable } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { limitsOf, type AccountRef } from '../domain/plans.js';
import { DEFAULT_EXPECTED_STATUS } from '../domain/status-codes.js';
import { newPingToken } from '../heartbeat/token.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { getMonitor } from './reads.js';
import { assertHostAllowed, assertIntervalAllowed, assertKeywordReadable, assertUrlAllowed } from './rules.js';
import type { CreateMonitorInput } from './schemas.js';
import { requestImmediateCheck } from './immediate-check.js';
import { SCHEDULER_RETRY_AFTER_SECONDS, scheduleSpecOf } from './scheduling.js';
import { settingsColumns } from './settings.js';

/**
 * Creates the monitor and its schedule, or neither.
 *
 * Order: database first (the row, inserted only while the plan's monitor limit allows), then the
 * scheduler. Undo: if the schedule cannot be created, the row is deleted and the caller gets a 503
 * to retry; nothing half-made survives, as a monitor without a schedule would silently never run.
 * A heartbeat's ping token is made before the row and only its hash stored; the token itself is
 * returned once, with the monitor, and is lost with it if the create is undone.
 */
export async function createMonitor(
  svc: Services,
  account: AccountRef,
  input: CreateMonitorInput,
  actor: Actor,
): Promise<MonitorRow & { pingToken?: string }> {
  const limits = limitsOf(account.plan);
  const intervalSeconds = input.intervalSeconds ?? limits.minIntervalSeconds;
  assertIntervalAllowed(account.plan, intervalSeconds);
  assertKeywordReadable(input.method, input.keyword ?? null);
  // issue 18: each kind's target (the tcp host through the same guard; a heartbeat has none).
  let url = '';
  if (input.kind === 'http') await assertUrlAllowed(svc, (url = input.url!));
  if (input.kind === 'tcp') {
    await assertHostAllowed(svc, input.host!);
    url = tcpUrl(input.host!, input.port!);
  }
  const ping = input.kind === 'heartbeat' ? newPingToken() : null;
  const alertContactIds = await alertContactIdsFor(svc, account.id, input.alertContactIds);

  const id = newId('mon');
  const now = new Date(svc.now());
  const row: typeof monitors.$inferInsert = {
    id,
    accountId: account.id,
    name: input.name,
    url,
    method: input.method,
    intervalSeconds,
    timeoutMs: input.timeoutMs,
    expectedStatusCodes: input.expectedStatusCodes ?? DEFAULT_EXPECTED_STATUS,
    keyword: input.keyword ?? null,
    paused: input.paused,
    status: 'pending',
    statusSince: now,
    createdAt: now,
    updatedAt: now,
    kind: input.kind,
    ...settingsColumns(svc, input, input.kind, { id, url }),
    pingTokenHash: ping?.hash ?? null,
    pingTokenCreatedBy: ping ? actor.actorId : null,
    accruedUntil: null,
    alertContactIds,
  };
  const quota: Quota = {
    counted: eq(monitors.accountId, account.id),
    limit: limits.maxMonitors,
    refuse: (have) =>
      limitReached(`${limits.label} plan allows ${limits.maxMonitors} monitors; you have ${have}. Delete a monitor or upgrade your plan.`, {
        plan: account.plan,
        limit: limits.maxMonitors,
        current: have,
      }),
  };
  const [inserted] = await svc.db.batch([
    svc.db.run(insertWithinLimitStatement(monitors, row, quota)),
    auditStatement(svc, actor, { action: 'monitors.create', entity: 'monitors', entityId: id, changes: monitorChanges(input) }, sql`changes() = 1`),
  ]);
  if (inserted.rowsAffected !== 1) throw await limitRefusal(svc.db, monitors, quota);
  const monitor = await getMonitor(svc, account.id, id);

  try {
    await svc.scheduler.create(scheduleSpecOf(monitor, account.plan));
  } catch (error) {
    svc.log.error('monitor.schedule_create_failed', { monitorId: id, ...describeError(error) });
    await svc.db.delete(monitors).where(eq(monitors.id, id));
    throw unavailable('could not schedule checks for this monitor; nothing was created, please try again', SCHEDULER_RETRY_AFTER_SECONDS);
  }
  if (!monitor.paused) await requestImmediateCheck(svc, account, monitor);
  return ping ? { ...monitor, pingToken: ping.token } : monitor;
}
