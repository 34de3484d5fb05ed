import { and, eq, sql } from 'drizzle-orm';
import { auditStatement, type Actor } from '../audit/record.js';
import { statusPageMonitors, statusPages } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import type { Services } from '../services.js';

/** Deletes the page; its address then answers the same 404 as one that never existed. */
export async function deleteStatusPage(svc: Services, accountId: string, id: string, actor: Actor): Promise<void> {
  const [, deleted] = await svc.db.batch([
    // Explicit rather than by cascade: foreign keys are not enforced on every libSQL connection.
    svc.db
      .delete(statusPageMonitors)
      .where(sql`${statusPageMonitors.pageId} IN (SELECT id FROM status_pages WHERE id = ${id} AND account_id = ${accountId})`),
    svc.db.delete(statusPages).where(and(eq(statusPages.id, id), eq(statusPages.accountId, accountId))),
    auditStatement(svc, actor, { action: 'statusPages.delete', entity: 'statusPages', entityId: id }, sql`changes() = 1`),
  ]);
  if (deleted.rowsAffected !== 1) throw notFound('status page');
}
