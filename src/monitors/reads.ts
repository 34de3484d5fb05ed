import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import { monitors, type MonitorRow } from '../db/schema.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { notFound } from '../domain/errors.js';
import type { Services } from '../services.js';
import type { MonitorStatus } from './wire.js';

export type { MonitorRow };

export type Page<T> = { items: T[]; nextCursor: string | null };

/** The SQL condition matching the public status (paused wins over the checker's last verdict). */
function statusCondition(status: MonitorStatus): SQL {
  if (status === 'paused') return eq(monitors.paused, true);
  return and(eq(monitors.paused, false), eq(monitors.status, status))!;
}

/**
 * One query for a whole page, ordered by creation time then id; the cursor is the last row's
 * position, so pages never skip or repeat a monitor while others are added or removed.
 */
export async function listMonitors(
  svc: Services,
  accountId: string,
  opts: { limit?: number; cursor?: string | null; status?: MonitorStatus } = {},
): Promise<Page<MonitorRow>> {
  const limit = opts.limit ?? 1000;
  const after = opts.cursor ? decodeCursor(opts.cursor, /^mon_[a-z0-9]+$/) : null;
  const rows = await svc.db
    .select()
    .from(monitors)
    .where(
      and(
        eq(monitors.accountId, accountId),
        opts.status ? statusCondition(opts.status) : undefined,
        after
          ? sql`(${monitors.createdAt}, ${monitors.id}) > (${after.t}, ${after.key})`
          : undefined,
      ),
    )
    .orderBy(asc(monitors.createdAt), asc(monitors.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt.getTime(), last.id) : null,
  };
}

export async function getMonitor(svc: Services, accountId: string, id: string): Promise<MonitorRow> {
  const row = await svc.db.query.monitors.findFirst({
    where: and(eq(monitors.id, id), eq(monitors.accountId, accountId)),
  });
  if (!row) throw notFound('monitor');
  return row;
}

export async function countMonitors(svc: Services, accountId: string): Promise<number> {
  const [row] = await svc.db.select({ n: count() }).from(monitors).where(eq(monitors.accountId, accountId));
  return row?.n ?? 0;
}
