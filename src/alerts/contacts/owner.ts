import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { alertContacts, memberships, users } from '../../db/schema.js';
import { newId } from '../../domain/ids.js';

/**
 * The one rule for when the account's own address receives alerts: it follows REQUIRE_VERIFIED_EMAIL.
 * Where verification is not required the contact is active at once; where it is, the contact stays
 * pending until the account's email is verified (activateOwnerContact, in the verification's batch).
 */
export function ownerContactStartsActive(config: Pick<Config, 'requireVerifiedEmail'>): boolean {
  return !config.requireVerifiedEmail;
}

/** The account's own email as a contact, for the sign-up batch (every monitor then alerts it). */
export function ownerContactInsert(db: Db, config: Pick<Config, 'requireVerifiedEmail'>, accountId: string, email: string, now: Date) {
  return db.insert(alertContacts).values({
    id: newId('ct'),
    accountId,
    kind: 'email',
    name: 'Account email',
    target: email,
    status: ownerContactStartsActive(config) ? 'active' : 'pending',
    isOwner: true,
    createdAt: now,
  });
}

/**
 * For the batch that verifies a user's email: the owner contact, still addressed to that email, of
 * every account the user owns (memberships, not users.account_id: a user may belong to several
 * accounts, and owns the one they registered) becomes active. One the user pointed elsewhere keeps
 * waiting for its own code, and no other account's contact is touched.
 */
export function activateOwnerContact(db: Db, userId: string) {
  return db
    .update(alertContacts)
    .set({ status: 'active' })
    .where(
      and(
        eq(alertContacts.isOwner, true),
        eq(alertContacts.status, 'pending'),
        inArray(
          alertContacts.accountId,
          db
            .select({ accountId: memberships.accountId })
            .from(memberships)
            .where(and(eq(memberships.userId, userId), eq(memberships.role, 'owner'))),
        ),
        sql`${alertContacts.target} = (SELECT ${users.email} FROM ${users} WHERE ${users.id} = ${userId})`,
      ),
    );
}
