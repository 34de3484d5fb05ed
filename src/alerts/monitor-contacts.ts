import { and, eq, inArray } from 'drizzle-orm';
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
