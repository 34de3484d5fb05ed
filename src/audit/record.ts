import { sql, type SQL } from 'drizzle-orm';
import { auditLog } from '../db/schema.js';
import { newId } from '../domain/ids.js';
import type { AuditOutcome } from '../domain/permissions.js';
import type { Services } from '../services.js';

/** Who acted, in which account, from where: a user (internal API) or an OAuth client (public API). */
export type Actor = { accountId: string; actorId: string; ip: string | null };

export type AuditEntry = {
  /** e.g. `members.invite`: the procedure (or job) that made the change. */
  action: string;
  /** e.g. `members`, `monitors`: what `audit.list({ entity })` filters on. */
  entity: string;
  entityId?: string | null;
  /** The changed fields with their new values; callers never put a secret here. */
  changes?: Record<string, unknown> | null;
  outcome?: AuditOutcome;
};

/**
 * The audit row of a change, as a statement to run in the same db.batch as the change itself, so
 * the log cannot miss one. With `onlyIf`, the row is written only when that condition holds after
 * the change's statements (e.g. a limit-guarded insert that may have been refused).
 */
export function auditStatement(svc: Services, actor: Actor, entry: AuditEntry, onlyIf?: SQL) {
  const row = {
    id: newId('aud'),
    accountId: actor.accountId,
    actor: actor.actorId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    ip: actor.ip,
    changes: entry.changes ? JSON.stringify(entry.changes) : null,
    outcome: entry.outcome ?? 'ok',
    at: new Date(svc.now()),
  };
  if (!onlyIf) return svc.db.insert(auditLog).values(row);
  return svc.db.run(sql`
    INSERT INTO ${auditLog} (id, account_id, actor, action, entity, entity_id, ip, changes, outcome, at)
    SELECT ${row.id}, ${row.accountId}, ${row.actor}, ${row.action}, ${row.entity}, ${row.entityId}, ${row.ip}, ${row.changes}, ${row.outcome}, ${row.at.getTime()}
    WHERE ${onlyIf}`);
}

/** A refused attempt, recorded on its own (there is no change to batch it with). */
export async function recordDenied(svc: Services, actor: Actor, action: string, entity: string): Promise<void> {
  await auditStatement(svc, actor, { action, entity, outcome: 'denied' });
}
