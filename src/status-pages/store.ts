import { and, eq, inArray, sql } from 'drizzle-orm';
import { monitors } from '../db/schema.js';
import { AppError, badInput } from '../domain/errors.js';
import type { Services } from '../services.js';
import type { PageMonitorInput } from './schemas.js';

/**
 * Refuses any monitor that is not the caller's, with the same message whether it belongs to
 * another account or does not exist, so the answer reveals nothing about other accounts.
 */
export async function assertOwnMonitors(svc: Services, accountId: string, list: PageMonitorInput[]): Promise<void> {
  if (list.length === 0) return;
  const own = await svc.db
    .select({ id: monitors.id })
    .from(monitors)
    .where(and(eq(monitors.accountId, accountId), inArray(monitors.id, list.map((m) => m.monitorId))));
  const ids = new Set(own.map((m) => m.id));
  const missing = list.findIndex((m) => !ids.has(m.monitorId));
  if (missing >= 0) throw badInput(`monitors.${missing}.monitorId`, 'no such monitor in your account');
}

/**
 * The rows putting monitors on a page, each guarded in SQL by the account, so a monitor that
 * changed hands or vanished since the check above is simply not added.
 */
export function pageMonitorInserts(svc: Services, pageId: string, accountId: string, list: PageMonitorInput[]) {
  return list.map((m, position) =>
    svc.db.run(sql`
      INSERT INTO status_page_monitors (page_id, monitor_id, position, display_name)
      SELECT ${pageId}, id, ${position}, ${m.displayName ?? null} FROM monitors
      WHERE id = ${m.monitorId} AND account_id = ${accountId}
        AND EXISTS (SELECT 1 FROM status_pages WHERE id = ${pageId} AND account_id = ${accountId})`),
  );
}

/** A taken slug is the caller's to fix (409 naming the field); slugs are public, so this leaks nothing. */
export function slugTakenOr(error: unknown): unknown {
  const text = `${String(error)} ${String((error as { cause?: unknown })?.cause ?? '')}`;
  if (/UNIQUE constraint failed: status_pages\.slug/.test(text)) {
    return new AppError('CONFLICT', 'slug: is already taken', { fieldErrors: [{ path: 'slug', message: 'is already taken' }] });
  }
  return error;
}

export const frameAncestorsText = (origins: string[]) => origins.join(' ');
