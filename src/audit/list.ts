import { and, eq, sql } from 'drizzle-orm';
import { keyset, keysetOrder, type Page } from '../db/keyset.js';
import { plan, type Plan } from '../db/plan.js';
import { auditLog, accounts } from '../db/schema.js';
import { DAY_MS } from '../domain/time.js';
import { PLAN_LIMITS, PLANS } from '../domain/plans.js';
import type { Services } from '../services.js';
import type { AuditEntryOutput, AuditListInput } from './schemas.js';

/** Newest first, on (at, id). */
const AUDIT_ORDER = keysetOrder<typeof auditLog.$inferSelect>({
  time: auditLog.at,
  id: auditLog.id,
  direction: 'desc',
  idPattern: /^aud_[a-z0-9]{1,64}$/,
  positionOf: (r) => [r.at.getTime(), r.id],
});

/** The account's audit log, newest first; a plan, to batch with the caller's confirmation. */
export function listAuditPlan(svc: Services, accountId: string, input: AuditListInput): Plan<Page<AuditEntryOutput>> {
  const page = keyset(AUDIT_ORDER, input);
  const rows = svc.db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.accountId, accountId),
        input.actorId ? eq(auditLog.actor, input.actorId) : undefined,
        input.entity ? eq(auditLog.entity, input.entity) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  return plan([rows], ([found]) =>
    page.page(found, (r) => ({
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
  );
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
