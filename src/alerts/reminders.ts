/**
 * Reminders: while an incident stays open, its `monitor.down` is sent again every
 * `remindEverySeconds` of its monitor. Nothing waits in memory, so a restart loses none: each run
 * reads the open incidents whose last `monitor.down` (the first, or the last reminder) fell due that
 * long ago, and writes the next one through the outbox, numbered (`seq`), so two runs at once write
 * it once. A run after a long pause (a restart, the clock moved) sends one reminder, not the ones it
 * missed; the next comes a full period later. Locally the in-process dispatcher's poll runs this;
 * on AWS the one-minute sweep (src/alerts/sweep.ts).
 */
import { sql } from 'drizzle-orm';
import type { Services } from '../services.js';
import { newestCheckIdText } from '../db/last-check.js';
import { newId } from '../domain/ids.js';
import { deliveriesFor, monitorJson, wakeForEvents } from './outbox.js';

const REMIND_LIMIT = 500;

/** The open incidents whose reminder is due: a read, so an idle poll never takes the write lock; batchable. */
export function dueReminders(svc: Pick<Services, 'db' | 'now'>) {
  // No reminder inside a maintenance window.
  return svc.db.all<{ incident_id: string; seq: number }>(sql`
    SELECT i.id AS incident_id, last.seq AS seq
    FROM incidents i
    JOIN monitors m ON m.id = i.monitor_id
    JOIN alert_events last ON last.incident_id = i.id AND last.type = 'monitor.down'
      AND last.seq = (SELECT max(e.seq) FROM alert_events e WHERE e.incident_id = i.id AND e.type = 'monitor.down')
    WHERE i.resolved_at IS NULL AND m.remind_every_seconds IS NOT NULL AND m.paused = 0 AND m.status = 'down'
      AND last.created_at + m.remind_every_seconds * 1000 <= ${svc.now()}
    LIMIT ${REMIND_LIMIT}`);
}

/** Writes the reminders that are due (read now, unless the caller read them) and wakes their sender; returns how many were written. */
export async function remindOpenIncidents(
  svc: Pick<Services, 'db' | 'alerts' | 'log' | 'now'>,
  due?: { incident_id: string; seq: number }[],
): Promise<number> {
  const now = svc.now();
  due ??= await dueReminders(svc);
  if (due.length === 0) return 0;
  const eventIds = due.map(() => newId('evt'));
  await svc.db.batch(
    due.flatMap((d, n) => {
      const id = eventIds[n]!;
      const seq = Number(d.seq) + 1;
      return [
        svc.db.run(sql`
          INSERT INTO alert_events (id, account_id, type, monitor_id, incident_id, data, created_at, seq)
          SELECT ${id}, m.account_id, 'monitor.down', m.id, i.id,
            json_object('monitor', ${monitorJson}, 'incidentId', i.id, 'startedAt', i.started_at,
              'reason', i.reason, 'statusCode', (SELECT c.status_code FROM checks c WHERE c.id = ${sql.raw(newestCheckIdText('m.id'))}), 'reminder', ${seq}),
            ${now}, ${seq}
          FROM incidents i JOIN monitors m ON m.id = i.monitor_id
          WHERE i.id = ${d.incident_id} AND i.resolved_at IS NULL
          ON CONFLICT DO NOTHING`),
        deliveriesFor(svc.db, id, now),
      ] as const;
    }) as unknown as Parameters<typeof svc.db.batch>[0],
  );
  await wakeForEvents(svc, eventIds);
  return due.length;
}
