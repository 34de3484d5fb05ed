import { and, eq, sql, type SQL } from 'drizzle-orm';
import { auditStatement, type Actor } from '../audit/record.js';
import { monitors } from '../db/schema.js';
import { badInput } from '../domain/errors.js';
import type { AccountRef } from '../domain/plans.js';
import { newPingToken } from '../heartbeat/token.js';
import type { Services } from '../services.js';
import { getMonitor } from './reads.js';

/**
 * issue 18: gives a heartbeat monitor a new ping token; the old ping URL stops working at once.
 * Returns the new token, shown this once (only its hash is stored).
 *
 * Order: one database write (the new hash, with its audit row), nothing else. Undo: none needed; if the write fails
 * the old token stays valid and the caller may simply try again.
 */
export async function rotatePingToken(svc: Services, account: AccountRef, id: string, actor: Actor): Promise<string> {
  const monitor = await getMonitor(svc, account.id, id);
  if (monitor.kind !== 'heartbeat') throw badInput('id', 'only heartbeat monitors have a ping URL');
  const ping = newPingToken();
  await svc.db.batch([
    svc.db
      .update(monitors)
      .set({ pingTokenHash: ping.hash, pingTokenCreatedBy: actor.actorId, updatedAt: new Date(svc.now()) })
      .where(and(eq(monitors.id, id), eq(monitors.accountId, account.id))),
    auditStatement(svc, actor, { action: 'monitors.rotatePingToken', entity: 'monitors', entityId: id }, sql`changes() = 1`),
  ]);
  return ping.token;
}

/**
 * Retires a heartbeat's ping URL for a batch: a new token nobody is shown replaces it, so the old
 * URL stops working at once and the heartbeat waits for someone to rotate it again. Only if
 * `maker` still made the current one, and `onlyIf` holds (a member's removal that may be refused).
 */
export function pingTokenRetirement(svc: Services, accountId: string, monitorId: string, maker: string, onlyIf: SQL = sql`1`) {
  return svc.db
    .update(monitors)
    .set({ pingTokenHash: newPingToken().hash, pingTokenCreatedBy: null, updatedAt: new Date(svc.now()) })
    .where(and(eq(monitors.id, monitorId), eq(monitors.accountId, accountId), eq(monitors.pingTokenCreatedBy, maker), onlyIf));
}
