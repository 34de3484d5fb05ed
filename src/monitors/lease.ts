import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { monitors, type MonitorRow } from '../db/schema.js';
import { conflict, notFound } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Services } from '../services.js';

/** Longer than any schedule call plus a write; a crashed holder blocks the monitor at most this long. */
export const LEASE_MS = 30_000;
const WAIT_STEP_MS = 50;
const WAIT_ATTEMPTS = 20;

/**
 * Runs `change` holding the monitor's lease, so changes that write the scheduler and then the
 * database never interleave across instances (two updates, or an update and a delete, would
 * otherwise leave the schedule disagreeing with the row). A caller waits up to about a second,
 * then gets 409. A monitor that is missing or not the account's is 404. `change` is handed the
 * row as the lease found it: taking the lease reads it, in the same round trip.
 */
export async function withMonitorLease<T>(svc: Services, accountId: string, id: string, change: (monitor: MonitorRow) => Promise<T>): Promise<T> {
  const token = newId('lse');
  let monitor: MonitorRow | undefined;
  for (let attempt = 0; !(monitor = await acquire(svc, id, token, accountId)); attempt++) {
    const exists = await svc.db.query.monitors.findFirst({ columns: { id: true }, where: and(eq(monitors.id, id), eq(monitors.accountId, accountId)) });
    if (!exists) throw notFound('monitor');
    if (attempt >= WAIT_ATTEMPTS) {
      throw conflict('another change to this monitor is in progress; try again in a moment');
    }
    await new Promise((r) => setTimeout(r, WAIT_STEP_MS + Math.random() * WAIT_STEP_MS));
  }
  const held = monitor;
  return holding(svc, id, token, () => change(held));
}

/** Takes the lease without waiting (reconcile skips a monitor someone is changing). */
export async function tryMonitorLease<T>(svc: Services, id: string, change: () => Promise<T>): Promise<T | undefined> {
  const token = newId('lse');
  if (!(await acquire(svc, id, token))) return undefined;
  return holding(svc, id, token, change);
}

/** Runs `change` under an acquired lease and gives it back, whatever happens. */
async function holding<T>(svc: Services, id: string, token: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } finally {
    await release(svc, id, token).catch(() => undefined);
  }
}

/** The monitor, with its lease now held by `token`; undefined when someone else holds it (or there is no such monitor). */
async function acquire(svc: Services, id: string, token: string, accountId?: string): Promise<MonitorRow | undefined> {
  // The services' clock: in production it is the wall clock every instance shares; in tests a
  // moved clock expires a crashed holder's lease like everything else.
  const now = svc.now();
  const [held] = await svc.db
    .update(monitors)
    .set({ leaseToken: token, leaseUntil: now + LEASE_MS })
    .where(
      and(
        eq(monitors.id, id),
        accountId === undefined ? undefined : eq(monitors.accountId, accountId),
        or(isNull(monitors.leaseUntil), lt(monitors.leaseUntil, now)),
      ),
    )
    .returning();
  return held;
}

function release(svc: Services, id: string, token: string) {
  return svc.db
    .update(monitors)
    .set({ leaseToken: null, leaseUntil: null })
    .where(and(eq(monitors.id, id), eq(monitors.leaseToken, token)));
}
