import { pruneAuditLog } from '../audit/list.js';
import { deleteExpiredWindows } from '../db/rate-limit.js';
import { deleteExpiredSessions } from '../auth/sessions.js';
import type { Services } from '../services.js';
import { deleteExpiredLinks } from './link-tokens.js';

/**
 * Rows that only ever grow otherwise (finding 7): ended rate-limit windows (every unknown email
 * used to leave one), expired sessions and expired emailed links. Run daily by the prune Lambda,
 * after the checks' own prune (src/checker/prune.ts).
 */
export async function pruneExpiredAccountRows(svc: Services): Promise<{ rateLimits: number; sessions: number; links: number; auditRows: number }> {
  const pruned = {
    rateLimits: await deleteExpiredWindows(svc.db, svc.now()),
    sessions: await deleteExpiredSessions(svc),
    links: await deleteExpiredLinks(svc),
    // Each account keeps its plan's audit history (PLAN_LIMITS.auditDays).
    auditRows: await pruneAuditLog(svc),
  };
  svc.log.info('prune.expired_rows', pruned);
  return pruned;
}
