import { monitorChanges } from '../audit/redact.js';
import { auditStatement, type Actor } from '../audit/record.js';
import { and, eq } from 'drizzle-orm';
import { alertContactIdsFor } from '../alerts/monitor-contacts.js';
import { monitors, type MonitorRow } from '../db/schema.js';
import { unavailable } from '../domain/errors.js';
import type { AccountRef } from '../domain/plans.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { withMonitorLease } from './lease.js';
import { pauseColumns, pauseStatements, resumeChange } from './pause.js';
import { getMonitor } from './reads.js';
import { assertFieldsFitKind, assertHostAllowed, assertIntervalAllowed, assertKeywordReadable, assertUrlAllowed } from './rules.js';
import type { UpdateMonitorInput } from './schemas.js';
import { requestImmediateCheck } from './immediate-check.js';
import { SCHEDULER_RETRY_AFTER_SECONDS, scheduleSpecOf } from './scheduling.js';
import { sameOrigin } from '../checker/kinds/credentials.js';
import { CHECK_AFFECTING, settingsColumns, tcpUrlAfter } from './settings.js';

/**
 * Changes a monitor's settings, holding its lease.
 *
 * Order: scheduler first (only when the schedule must change), then the database in one batch (the
 * row and, issue 18, a pause's or resume's time accounting and the incident a pause closes), then
 * a check when what is checked changed or the monitor resumed. Undo: if the scheduler fails nothing
 * was changed (503); if the database then fails, the old schedule is put back, so both keep the old
 * state; a failed check only delays the next verdict (the schedule stands).
 */
export function updateMonitor(svc: Services, account: AccountRef, input: UpdateMonitorInput, actor: Actor): Promise<UpdatedMonitor> {
  return withMonitorLease(svc, account.id, input.id, () => applyUpdate(svc, account, input, actor));
}

/** The monitor after the edit; `credentialsCleared` when a move to another origin dropped its credentials (the app asks for them again). */
export type UpdatedMonitor = { monitor: MonitorRow; credentialsCleared: boolean };

async function applyUpdate(svc: Services, account: AccountRef, input: UpdateMonitorInput, actor: Actor): Promise<UpdatedMonitor> {
  const { id, host, port, headers, body, auth, keywordMode, keywordCaseSensitive, degradedAboveMs, tags, graceSeconds, ...patch } = input;
  const before = await getMonitor(svc, account.id, id);
  if (patch.intervalSeconds !== undefined) assertIntervalAllowed(account.plan, patch.intervalSeconds);
  // issue 18: settings that belong to another kind are refused, naming the field.
  assertFieldsFitKind(before.kind, input);
  if (host !== undefined) await assertHostAllowed(svc, host);
  if (host !== undefined || port !== undefined) patch.url = tcpUrlAfter(before, { host, port });
  if (patch.alertContactIds) patch.alertContactIds = await alertContactIdsFor(svc, account.id, patch.alertContactIds);
  const urlChanged = patch.url !== undefined && patch.url !== before.url;
  if (urlChanged && before.kind === 'http') await assertUrlAllowed(svc, patch.url!);
  const depthPatch = { headers, body, auth, keywordMode, keywordCaseSensitive, degradedAboveMs, tags, graceSeconds };
  const depthColumns = settingsColumns(svc, definedOnly(depthPatch), before.kind, { id, url: patch.url ?? before.url });
  // Credentials are sealed for one origin: a URL moved to another origin loses them (they would
  // follow it to whoever runs that host) unless the same edit enters new ones.
  const credentialsCleared = urlChanged && before.authSealed !== null && auth === undefined && !sameOrigin(before.url, patch.url!);
  if (credentialsCleared) Object.assign(depthColumns, { authType: null, authSealed: null });

  const after = { ...before, ...definedOnly(patch) };
  assertKeywordReadable(after.method, after.keyword);
  const oldSpec = scheduleSpecOf(before, account.plan);
  const newSpec = scheduleSpecOf(after, account.plan);
  const scheduleChanged = oldSpec.intervalSeconds !== newSpec.intervalSeconds || oldSpec.enabled !== newSpec.enabled;
  // A new target makes the last verdict meaningless: start again from pending.
  const resetState = urlChanged ? { status: 'pending' as const, statusSince: new Date(svc.now()) } : {};
  // issue 18: a pause closes the incident and stops the clock; a resume starts fresh.
  const now = svc.now();
  const pausing = !before.paused && after.paused;
  const resuming = before.paused && !after.paused;
  const resume = resuming ? resumeChange(svc, before, now) : null;
  const stateChange = pausing
    ? { columns: pauseColumns(now), statements: pauseStatements(svc, before, now) }
    : (resume ?? { columns: {}, statements: [] });

  if (scheduleChanged) {
    try {
      await svc.scheduler.update(newSpec);
    } catch (error) {
      svc.log.error('monitor.schedule_update_failed', { monitorId: id, ...describeError(error) });
      throw unavailable('could not update the schedule; nothing was changed, please try again', SCHEDULER_RETRY_AFTER_SECONDS);
    }
  }
  try {
    await svc.db.batch([
      svc.db
        .update(monitors)
        .set({ ...definedOnly(patch), ...depthColumns, ...resetState, ...stateChange.columns, updatedAt: new Date(now) })
        .where(and(eq(monitors.id, id), eq(monitors.accountId, account.id))),
      ...stateChange.statements,
      auditStatement(svc, actor, {
        action: 'monitors.update',
        entity: 'monitors',
        entityId: id,
        changes: monitorChanges(definedOnly({ ...patch, ...depthPatch, ...(credentialsCleared ? { auth: null } : {}) })),
      }),
    ]);
  } catch (error) {
    if (scheduleChanged) await svc.scheduler.update(oldSpec).catch(() => undefined);
    throw error;
  }
  // issue 18: an edit that changes what is checked gets a fresh verdict at once, as a resume does,
  // within the immediate-check budget (past it, the schedule checks it in its turn).
  const checkAffected = CHECK_AFFECTING.some((key) => input[key] !== undefined && !sameSetting(before, input, key));
  if ((checkAffected || resuming) && !after.paused) await requestImmediateCheck(svc, account, after);
  return { monitor: await getMonitor(svc, account.id, id), credentialsCleared };
}

/** Whether an edit leaves a check-affecting setting as it was (so no check is triggered for nothing). */
function sameSetting(before: MonitorRow, input: UpdateMonitorInput, key: (typeof CHECK_AFFECTING)[number]): boolean {
  switch (key) {
    case 'url':
    case 'method':
    case 'keyword':
    case 'expectedStatusCodes':
    case 'keywordMode':
    case 'keywordCaseSensitive':
    case 'timeoutMs':
      return before[key] === input[key];
    case 'body':
      return before.requestBody === input.body;
    case 'headers':
      return (before.requestHeaders ?? '{}') === JSON.stringify(input.headers ?? {});
    default:
      return false; // host/port (the url comparison covers them) and auth (sealed, never compared)
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
