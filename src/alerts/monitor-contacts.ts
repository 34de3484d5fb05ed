import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { plan, type Plan } from '../db/plan.js';
import { alertContacts } from '../db/schema.js';
import { badInput } from '../domain/errors.js';
import type { Services } from '../services.js';

/**
 * The contacts a monitor alerts, checked against the caller's account. Omitted (on create): every
 * contact the account has, so a new monitor alerts the account's own address from the start; only
 * active contacts ever receive anything.
 */
export async function alertContactIdsFor(svc: Services, accountId: string, requested: string[] | undefined): Promise<string[]> {
  if (requested === undefined) {
    const all = await svc.db.select({ id: alertContacts.id }).from(alertContacts).where(eq(alertContacts.accountId, accountId));
    return all.map((c) => c.id);
  }
  const ids = [...new Set(requested)];
  if (ids.length === 0) return [];
  const found = await svc.db
    .select({ id: alertContacts.id })
    .from(alertContacts)
    .where(and(eq(alertContacts.accountId, accountId), inArray(alertContacts.id, ids)));
  const known = new Set(found.map((c) => c.id));
  const unknown = ids.find((id) => !known.has(id));
  if (unknown) throw badInput('alertContactIds', `no contact ${unknown} in this account`);
  return ids;
}

/** A monitor's contacts decided inside its write's own batch (no read of their own): see alertContactIdsPlan. */
export type ContactsInBatch = {
  /** The JSON array to store, as an SQL expression. */
  ids: SQL;
  /** What the write must hold: every requested contact is the account's. */
  known: SQL;
  /** Finished after the batch: throws the refusal naming a contact that is not the account's. */
  verdict: Plan<void>;
};

/** alertContactIdsFor, as statements for the monitor write's own batch. */
export function alertContactIdsPlan(svc: Services, accountId: string, requested: string[] | undefined): ContactsInBatch {
  const own = eq(alertContacts.accountId, accountId);
  if (requested === undefined) {
    return { ids: sql`(SELECT json_group_array(${alertContacts.id}) FROM ${alertContacts} WHERE ${own})`, known: sql`1`, verdict: plan([], () => undefined) };
  }
  const ids = [...new Set(requested)];
  if (ids.length === 0) return { ids: sql`'[]'`, known: sql`1`, verdict: plan([], () => undefined) };
  const found = and(own, inArray(alertContacts.id, ids));
  return {
    ids: sql`${JSON.stringify(ids)}`,
    known: sql`(SELECT count(*) FROM ${alertContacts} WHERE ${found}) = ${ids.length}`,
    verdict: plan([svc.db.select({ id: alertContacts.id }).from(alertContacts).where(found)], ([rows]) => {
      const known = new Set(rows.map((c) => c.id));
      const unknown = ids.find((id) => !known.has(id));
      if (unknown) throw badInput('alertContactIds', `no contact ${unknown} in this account`);
    }),
  };
}
