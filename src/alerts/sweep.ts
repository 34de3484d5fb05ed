import { sql } from 'drizzle-orm';
import type { Services } from '../services.js';
import { enqueueDeliveries } from './queue.js';
import { remindOpenIncidents } from './reminders.js';

/** A wake-up sent this recently (and since the delivery fell due) is still on its way; the sweep does not double it. */
export const REENQUEUE_AFTER_MS = 60_000;
const SWEEP_LIMIT = 500;

/**
 * Every minute on AWS: writes the reminders that are due (src/alerts/reminders.ts), then
 * re-enqueues deliveries that are due (a retry's time came, an alert delay ran out) or were never
 * enqueued (the checker died between its commit and its SendMessage). Returns how many.
 */
export async function sweepDeliveries(svc: Services): Promise<number> {
  await remindOpenIncidents(svc);
  const now = svc.now();
  const rows = await svc.db.all<{ id: string }>(sql`
    SELECT id FROM alert_deliveries
    WHERE status = 'pending' AND next_attempt_at <= ${now}
      AND (lease_until IS NULL OR lease_until <= ${now})
      AND (enqueued_at IS NULL OR enqueued_at < next_attempt_at OR enqueued_at <= ${now - REENQUEUE_AFTER_MS})
    ORDER BY next_attempt_at LIMIT ${SWEEP_LIMIT}`);
  await enqueueDeliveries(svc, rows.map((r) => r.id));
  return rows.length;
}
