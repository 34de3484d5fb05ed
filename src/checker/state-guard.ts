import type { Statement } from '../db/accrual.js';
import type { Db } from '../db/client.js';
import { newestCheckIdText } from '../db/last-check.js';
import type { MonitorRow } from '../db/schema.js';
import type { Services } from '../services.js';

/** What recording a check uses of the services: the database, and the alert queue it wakes after the commit. */
export type RecordServices = Pick<Services, 'db' | 'alerts' | 'log' | 'now'>;

/**
 * The part of a monitor's state that a recording changes: its status and accrued time (written at
 * each change of status, and by a pause or a resume) and its newest check (every recording adds
 * one). Two writers who read the same one race.
 */
export type ReadState = Pick<MonitorRow, 'id' | 'status' | 'accruedUntil'> & { lastCheckId?: number | null };

const STILL_AS_READ = `SELECT 1 FROM monitors m WHERE m.id = ? AND m.status = ? AND m.accrued_until IS ? AND ${newestCheckIdText('m.id')} IS ?`;
const argsOf = (m: ReadState) => [m.id, m.status, m.accruedUntil, m.lastCheckId ?? null];

/**
 * The first statement of a guarded batch: it fails (json() of a non-JSON text raises), and so
 * rolls the whole batch back, unless the monitor's state is still the one read. SQLite has no
 * RAISE outside triggers; this is the one expression that aborts a plain statement on a condition.
 */
export function staleStateGuard(m: ReadState): Statement[] {
  return [{ sql: `SELECT json(CASE WHEN EXISTS (${STILL_AS_READ}) THEN '0' ELSE 'monitor state changed since read' END)`, args: argsOf(m) }];
}

/** After a guarded batch failed: whether it failed for another reason (the state is still as read). */
export async function stillAsRead(db: Db, m: ReadState): Promise<boolean> {
  const r = await db.$client.execute({ sql: STILL_AS_READ, args: argsOf(m) });
  return r.rows.length === 1;
}
