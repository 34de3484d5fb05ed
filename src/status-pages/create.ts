import { eq, sql } from 'drizzle-orm';
import { auditStatement, type Actor } from '../audit/record.js';
import { insertWithinLimitStatement, limitRefusal, type Quota } from '../db/insert-within-limit.js';
import { statusPages } from '../db/schema.js';
import { limitReached } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { limitsOf, type AccountRef } from '../domain/plans.js';
import type { Services } from '../services.js';
import { getStatusPage } from './list.js';
import type { CreateStatusPageInput, StatusPageOutput } from './schemas.js';
import { assertOwnMonitors, frameAncestorsText, pageMonitorInserts, slugTakenOr } from './store.js';

/**
 * Creates a page and puts its monitors on it in one batch. The plan's page limit is part of the
 * insert (INSERT … SELECT … WHERE count < limit), so parallel creates cannot overshoot it; a
 * refused page gets no monitors either (each of their rows requires the page).
 */
export async function createStatusPage(svc: Services, account: AccountRef, input: CreateStatusPageInput, actor: Actor): Promise<StatusPageOutput> {
  await assertOwnMonitors(svc, account.id, input.monitors);
  const limits = limitsOf(account.plan);
  const id = newId('stp');
  const now = new Date(svc.now());
  const quota: Quota = {
    counted: eq(statusPages.accountId, account.id),
    limit: limits.maxStatusPages,
    refuse: (have) =>
      limitReached(
        `${limits.label} plan allows ${limits.maxStatusPages} status ${limits.maxStatusPages === 1 ? 'page' : 'pages'}; you have ${have}. Delete a page or upgrade your plan.`,
        { plan: account.plan, limit: limits.maxStatusPages, current: have },
      ),
  };
  const page = {
    id,
    accountId: account.id,
    slug: input.slug,
    title: input.title,
    description: input.description ?? null,
    showUrls: input.showUrls,
    showReasons: input.showReasons,
    frameAncestors: frameAncestorsText(input.frameAncestors),
    createdAt: now,
    updatedAt: now,
  };
  const [inserted] = await svc.db
    .batch([
      svc.db.run(insertWithinLimitStatement(statusPages, page, quota)),
      auditStatement(svc, actor, { action: 'statusPages.create', entity: 'statusPages', entityId: id, changes: { slug: page.slug, title: page.title } }, sql`changes() = 1`),
      ...pageMonitorInserts(svc, id, account.id, input.monitors),
    ])
    .catch((error: unknown) => {
      throw slugTakenOr(error);
    });
  if (inserted.rowsAffected !== 1) throw await limitRefusal(svc.db, statusPages, quota);
  return getStatusPage(svc, account.id, id);
}
