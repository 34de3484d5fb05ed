import { deleteExpiredLinks } from '../accounts/link-tokens.js';
import { deleteExpiredSessions } from '../auth/sessions.js';
import { deleteExpiredWindows } from '../domain/rate-limit.js';
import type { Services } from '../services.js';

/**
 * Rows that only ever grow otherwise (finding 7): ended rate-limit windows (every unknown email
 * used to leave one), expired sessions and expired emailed links.
 */
export async function pruneExpiredAccountRows(svc: Services): Promise<{ rateLimits: number; sessions: number; links: number }> {
  return {
    rateLimits: await deleteExpiredWindows(svc.db, svc.now()),
    sessions: await deleteExpiredSessions(svc),
    links: await deleteExpiredLinks(svc),
  };
}
