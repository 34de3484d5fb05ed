import { and, desc, eq, sql } from 'drizzle-orm';
import { plan, type Plan } from '../db/plan.js';
import { auditLog, accounts } from '../db/schema.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { DAY_MS } from '../domain/time.js';
import { PLAN_LIMITS, PLANS } from '../domain/plans.js';
import type { Services } from '../services.js';
import type { AuditEntryOutput, AuditListInput } from './schemas.js';

/**
 * The account's audit log, newest first, keyset-paged like every list (an opaque cursor); a plan,
 * to batch with the caller's confirmation.
 */
export function listAuditPlan(svc: Services, accountId: string, input: AuditListInput): Plan<{ items: AuditEntryOutput[]; nextCursor: string | null }> {
  const before = input.cursor ? decodeCursor(input.cursor, /^aud_[a-z0-9]{1,64}$/) : null;
  const query = svc.db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.accountId, accountId),
        input.actorId ? eq(auditLog.actor, input.actorId) : undefined,
        input.entity ? eq(auditLog.entity, input.entity) : undefined,
        before ? sql`(${auditLog.at}, ${auditLog.id}) < (${before.t}, ${before.key})` : undefined,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(input.limit + 1);
  return plan([query], ([rows]) => {
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: r.id,
        actorId: r.actor,
        action: r.action,
        entity: r.entity,
        entityId: r.entityId,
        ip: r.ip,
        changes: r.changes ? (JSON.parse(r.changes) as Record<string, unknown>) : null,
        outcome: r.outcome,
        at: r.at.toISOString(),
      })),
      nextCursor: rows.length > input.limit && last ? encodeCursor(last.at.getTime(), last.id) : null,
    };
  });
}

/** For the daily prune: each account keeps its plan's auditDays (free 7, solo 90, team 365). */
export async function pruneAuditLog(svc: Services): Promise<number> {
  const now = svc.now();
  const keepSince = sql.join(
    PLANS.map((plan) => sql`WHEN ${plan} THEN ${now - PLAN_LIMITS[plan].auditDays * DAY_MS}`),
    sql` `,
  );
  const res = await svc.db.run(sql`
    DELETE FROM ${auditLog}
    WHERE ${auditLog.at} < (SELECT CASE ${accounts.plan} ${keepSince} END FROM ${accounts} WHERE ${accounts.id} = ${auditLog.accountId})`);
  return res.rowsAffected;
}
