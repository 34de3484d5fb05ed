import { count, eq, sql } from 'drizzle-orm';
import { statusPages } from '../db/schema.js';
import { limitReached } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { limitsOf } from '../domain/plans.js';
import type { AccountRef } from '../monitors/service.js';
import type { Services } from '../services.js';
import { getStatusPage } from './list.js';
import type { CreateStatusPageInput, StatusPageOutput } from './schemas.js';
import { assertOwnMonitors, frameAncestorsText, pageMonitorInserts, slugTakenOr } from './store.js';

/**
 * Creates a page and puts its monitors on it in one batch. The plan's page limit is part of the
 * insert (INSERT … SELECT … WHERE count < limit), so parallel creates cannot overshoot it.
 */
export async function createStatusPage(svc: Services, account: AccountRef, input: CreateStatusPageInput): Promise<StatusPageOutput> {
  await assertOwnMonitors(svc, account.id, input.monitors);
  const limits = limitsOf(account.plan);
  const id = newId('stp');
  const now = svc.now();
  const [inserted] = await svc.db
    .batch([
      svc.db.run(sql`
        INSERT INTO status_pages (id, account_id, slug, title, description, show_urls, show_reasons,
          frame_ancestors, created_at, updated_at)
        SELECT ${id}, ${account.id}, ${input.slug}, ${input.title}, ${input.description ?? null},
          ${input.showUrls ? 1 : 0}, ${input.showReasons ? 1 : 0}, ${frameAncestorsText(input.frameAncestors)}, ${now}, ${now}
        WHERE (SELECT count(*) FROM status_pages WHERE account_id = ${account.id}) < ${limits.maxStatusPages}`),
      ...pageMonitorInserts(svc, id, account.id, input.monitors),
    ])
    .catch((error: unknown) => {
      throw slugTakenOr(error);
    });
  if (inserted.rowsAffected !== 1) {
    const [row] = await svc.db.select({ n: count() }).from(statusPages).where(eq(statusPages.accountId, account.id));
    const have = row?.n ?? 0;
    throw limitReached(
      `${limits.label} plan allows ${limits.maxStatusPages} status ${limits.maxStatusPages === 1 ? 'page' : 'pages'}; you have ${have}. Delete a page or upgrade your plan.`,
      { plan: account.plan, limit: limits.maxStatusPages, current: have },
    );
  }
  return getStatusPage(svc, account.id, id);
}
