import { and, eq, sql } from 'drizzle-orm';
import { auditStatement, type Actor } from '../audit/record.js';
import { statusPageMonitors, statusPages } from '../db/schema.js';
import type { AccountRef } from '../domain/plans.js';
import type { Services } from '../services.js';
import { getStatusPage } from './list.js';
import type { StatusPageOutput, UpdateStatusPageInput } from './schemas.js';
import { assertOwnMonitors, frameAncestorsText, pageMonitorInserts, slugTakenOr } from './store.js';

/** Changes a page's settings and, when `monitors` is given, replaces its monitors; one batch. */
export async function updateStatusPage(svc: Services, account: AccountRef, input: UpdateStatusPageInput, actor: Actor): Promise<StatusPageOutput> {
  await getStatusPage(svc, account.id, input.id); // 404 for anything not the caller's
  const { id, monitors: list, frameAncestors, ...settings } = input;
  if (list) await assertOwnMonitors(svc, account.id, list);
  const patch = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  const replaceMonitors = list
    ? [svc.db.delete(statusPageMonitors).where(eq(statusPageMonitors.pageId, id)), ...pageMonitorInserts(svc, id, account.id, list)]
    : [];
  await svc.db
    .batch([
      svc.db
        .update(statusPages)
        .set({
          ...patch,
          ...(frameAncestors ? { frameAncestors: frameAncestorsText(frameAncestors) } : {}),
          updatedAt: new Date(svc.now()),
        })
        .where(and(eq(statusPages.id, id), eq(statusPages.accountId, account.id))),
      auditStatement(svc, actor, { action: 'statusPages.update', entity: 'statusPages', entityId: id, changes: { ...patch, ...(list ? { monitors: list.length } : {}) } }, sql`changes() = 1`),
      ...replaceMonitors,
    ])
    .catch((error: unknown) => {
      throw slugTakenOr(error);
    });
  return getStatusPage(svc, account.id, id);
}
