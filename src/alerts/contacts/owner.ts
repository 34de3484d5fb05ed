import type { Db } from '../../db/client.js';
import { alertContacts } from '../../db/schema.js';
import { newId } from '../../domain/ids.js';

/**
 * The one rule for when the account's own address receives alerts. Today accounts are not
 * verified, so it is active at once; once REQUIRE_VERIFIED_EMAIL exists, it follows the account's
 * email verification (active at once only where verification is not required).
 */
export function ownerContactStartsActive(): boolean {
  return true;
}

/** The account's own email as a contact, for the sign-up batch (every monitor then alerts it). */
export function ownerContactInsert(db: Db, accountId: string, email: string, now: Date) {
  return db.insert(alertContacts).values({
    id: newId('ct'),
    accountId,
    kind: 'email',
    name: 'Account email',
    target: email,
    status: ownerContactStartsActive() ? 'active' : 'pending',
    isOwner: true,
    createdAt: now,
  });
}
