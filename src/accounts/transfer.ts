import { and, eq, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  accountTokens,
  accounts,
  alertContacts,
  alertDeliveries,
  alertEvents,
  auditLog,
  checks,
  deliveryAttempts,
  incidents,
  invitations,
  maintenanceWindows,
  memberships,
  monitorRemovals,
  monitors,
  oauthClients,
  regionRollups,
  rollups,
  sessions,
  statusPageMonitors,
  statusPages,
  users,
} from '../db/schema.js';
import { newId } from '../domain/ids.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';

/**
 * Hands an unverified account's email to the person who just proved they own the mailbox (a
 * re-registration's confirmation, or a reset link): they start from an empty account. The old
 * account goes with everything in it (monitors, contacts, maintenance windows, status pages, OAuth
 * clients, invitations, other members, its audit log), every session and
 * link of the user ends, and the user moves to a new account that holds only their membership as
 * owner and their own address as an active contact, with the password the confirmer chose and the
 * email verified. One batch, and only if the user is still unverified when it runs (a concurrent
 * verification wins): each statement after the move is guarded by the move having happened.
 *
 * Returns how many sessions ended, or null when the user was verified meanwhile (nothing changed).
 */
export async function transferToMailboxOwner(svc: Services, userId: string, passwordHash: string): Promise<number | null> {
  const [user] = await svc.db.select({ accountId: users.accountId, email: users.email }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user) return null;
  const oldMonitors = await svc.db.select({ id: monitors.id }).from(monitors).where(eq(monitors.accountId, user.accountId));
  const newAccountId = newId('acc');
  const now = svc.now();
  const moved = sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${userId} AND ${users.accountId} = ${newAccountId})`;
  const [, [movedRow], endedSessions] = await svc.db.batch([
    svc.db.insert(accounts).values({ id: newAccountId, plan: 'free', createdAt: new Date(now) }),
    svc.db
      .update(users)
      .set({ accountId: newAccountId, passwordHash, emailVerifiedAt: new Date(now), sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(and(eq(users.id, userId), sql`${users.emailVerifiedAt} IS NULL`))
      .returning({ id: users.id }),
    svc.db.delete(sessions).where(and(eq(sessions.userId, userId), moved)),
    svc.db.delete(accountTokens).where(and(eq(accountTokens.userId, userId), moved)),
    ...accountContentsDeletes(svc.db, user.accountId, moved),
    svc.db.delete(accounts).where(and(eq(accounts.id, user.accountId), moved)),
    svc.db.run(sql`
      INSERT INTO ${memberships} (account_id, user_id, role, version, created_at)
      SELECT ${newAccountId}, ${userId}, 'owner', 0, ${now} WHERE ${moved}`),
    svc.db.run(sql`
      INSERT INTO ${alertContacts} (id, account_id, kind, name, target, status, is_owner, created_at)
      SELECT ${newId('ct')}, ${newAccountId}, 'email', 'Account email', ${user.email}, 'active', 1, ${now} WHERE ${moved}`),
    // A verification that won the race leaves the new account unused: it goes.
    svc.db.delete(accounts).where(and(eq(accounts.id, newAccountId), sql`NOT ${moved}`)),
  ]);
  if (!movedRow) return null;
  // The old monitors' schedules: best effort, as the rows are gone (reconcile removes any left).
  for (const { id } of oldMonitors) {
    await svc.scheduler.remove(id).catch((error: unknown) => svc.log.error('transfer.schedule_remove_failed', { monitorId: id, ...describeError(error) }));
  }
  svc.log.info('account.transferred', { userId, fromAccountId: user.accountId, toAccountId: newAccountId });
  return endedSessions.rowsAffected;
}

/**
 * Everything an account holds, children first. Explicit rather than by cascade: foreign keys are
 * not enforced on every libSQL connection. test/accounts/takeover.test.ts checks that no table
 * keeps a row of the old account.
 */
function accountContentsDeletes(db: Db, accountId: string, when: SQL) {
  const ofMonitors = sql`(SELECT ${monitors.id} FROM ${monitors} WHERE ${monitors.accountId} = ${accountId})`;
  const ofDeliveries = sql`(SELECT ${alertDeliveries.id} FROM ${alertDeliveries} WHERE ${alertDeliveries.accountId} = ${accountId})`;
  const ofPages = sql`(SELECT ${statusPages.id} FROM ${statusPages} WHERE ${statusPages.accountId} = ${accountId})`;
  return [
    db.delete(checks).where(and(sql`${checks.monitorId} IN ${ofMonitors}`, when)),
    db.delete(incidents).where(and(sql`${incidents.monitorId} IN ${ofMonitors}`, when)),
    db.delete(rollups).where(and(sql`${rollups.monitorId} IN ${ofMonitors}`, when)),
    db.delete(regionRollups).where(and(sql`${regionRollups.monitorId} IN ${ofMonitors}`, when)),
    db.delete(statusPageMonitors).where(and(sql`${statusPageMonitors.pageId} IN ${ofPages}`, when)),
    db.delete(deliveryAttempts).where(and(sql`${deliveryAttempts.deliveryId} IN ${ofDeliveries}`, when)),
    db.delete(alertDeliveries).where(and(eq(alertDeliveries.accountId, accountId), when)),
    db.delete(alertEvents).where(and(eq(alertEvents.accountId, accountId), when)),
    db.delete(statusPages).where(and(eq(statusPages.accountId, accountId), when)),
    db.delete(monitors).where(and(eq(monitors.accountId, accountId), when)),
    // After the monitors: their delete trigger records each removal for the change feed.
    db.delete(monitorRemovals).where(and(eq(monitorRemovals.accountId, accountId), when)),
    db.delete(maintenanceWindows).where(and(eq(maintenanceWindows.accountId, accountId), when)),
    db.delete(oauthClients).where(and(eq(oauthClients.accountId, accountId), when)),
    db.delete(alertContacts).where(and(eq(alertContacts.accountId, accountId), when)),
    db.delete(invitations).where(and(eq(invitations.accountId, accountId), when)),
    db.delete(memberships).where(and(eq(memberships.accountId, accountId), when)),
    db.delete(sessions).where(and(eq(sessions.accountId, accountId), when)),
    db.delete(auditLog).where(and(eq(auditLog.accountId, accountId), when)),
  ];
}
