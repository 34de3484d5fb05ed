import { and, asc, eq, inArray } from 'drizzle-orm';
import { statusPageMonitors, statusPages } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import type { Services } from '../services.js';
import type { StatusPageOutput } from './schemas.js';

/** The account's pages with their monitors, oldest first: two queries whatever the number of pages. */
export async function listStatusPages(svc: Services, accountId: string, onlyId?: string): Promise<StatusPageOutput[]> {
  const pages = await svc.db
    .select()
    .from(statusPages)
    .where(and(eq(statusPages.accountId, accountId), onlyId ? eq(statusPages.id, onlyId) : undefined))
    .orderBy(asc(statusPages.createdAt), asc(statusPages.id));
  if (pages.length === 0) return [];
  const members = await svc.db
    .select()
    .from(statusPageMonitors)
    .where(inArray(statusPageMonitors.pageId, pages.map((p) => p.id)))
    .orderBy(asc(statusPageMonitors.position));
  return pages.map((p) => ({
    id: p.id,
    slug: p.slug,
    url: `${svc.config.publicBaseUrl}/status/${p.slug}`,
    title: p.title,
    description: p.description,
    showUrls: p.showUrls,
    showReasons: p.showReasons,
    frameAncestors: p.frameAncestors ? p.frameAncestors.split(' ') : [],
    monitors: members.filter((m) => m.pageId === p.id).map((m) => ({ monitorId: m.monitorId, displayName: m.displayName })),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }));
}

export async function getStatusPage(svc: Services, accountId: string, id: string): Promise<StatusPageOutput> {
  const [page] = await listStatusPages(svc, accountId, id);
  if (!page) throw notFound('status page');
  return page;
}
