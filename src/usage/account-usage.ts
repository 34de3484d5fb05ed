import { count, eq, sql, type SQL } from 'drizzle-orm';
import { accountWindowKey } from '../db/rate-limit.js';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { alertContacts, invitations, memberships, monitors, oauthClients, rateLimits, statusPages } from '../db/schema.js';
import { limitsOf, type AccountRef, type PlanLimits, type PlanName } from '../domain/plans.js';
import { monthEnd } from '../domain/time.js';
import { activeClientsOf } from '../oauth/clients.js';
import type { Services } from '../services.js';
import { pendingInvitationsOf } from '../teams/seats.js';

/** The plan limits that count something the account has or did; the rest are settings (below). */
export const COUNTED_LIMITS = ['maxMonitors', 'maxStatusPages', 'maxContacts', 'maxApiClients', 'seats', 'immediateChecksPerHour', 'publicApiRequestsPerMinute', 'smsPerMonth'] as const;
export type CountedLimit = (typeof COUNTED_LIMITS)[number];

export type AccountUsage = {
  plan: PlanName;
  label: string;
  counted: { limit: CountedLimit; used: number; max: number }[];
  /** The limits that set how the account works rather than how much it may have. */
  settings: Pick<PlanLimits, 'minIntervalSeconds' | 'historyDays' | 'auditDays'>;
  /** The SMS allowance's month: alerts skipped at it so far, and when it starts again. */
  sms: { skippedThisMonth: number; resetsAt: string };
};

/**
 * Used against allowed, for every counted limit of the account's plan, in one statement. Each is
 * counted by the very condition its limit is enforced with (the limit-guarded inserts and the
 * rate-limit windows), so what this says is what the next create or request will meet.
 */
export async function accountUsage(svc: Services, account: AccountRef): Promise<AccountUsage> {
  const now = svc.now();
  const countOf = (table: SQLiteTable, where: SQL | undefined) => sql<number>`(${svc.db.select({ n: count() }).from(table).where(where)})`;
  // A window whose reset time has passed counts nothing: its next hit starts it again at 1.
  const windowCount = (key: string) => sql<number>`coalesce((SELECT ${rateLimits.count} FROM ${rateLimits} WHERE ${rateLimits.key} = ${key} AND ${rateLimits.resetAt} > ${now}), 0)`;
  const [row] = await svc.db
    .select({
      maxMonitors: countOf(monitors, eq(monitors.accountId, account.id)),
      maxStatusPages: countOf(statusPages, eq(statusPages.accountId, account.id)),
      maxContacts: countOf(alertContacts, eq(alertContacts.accountId, account.id)),
      maxApiClients: countOf(oauthClients, activeClientsOf(account.id)),
      members: countOf(memberships, eq(memberships.accountId, account.id)),
      pendingInvitations: countOf(invitations, pendingInvitationsOf(account.id, now)),
      immediateChecksPerHour: windowCount(accountWindowKey.immediateChecks(account.id)),
      publicApiRequestsPerMinute: windowCount(accountWindowKey.publicApi(account.id)),
      smsPerMonth: windowCount(accountWindowKey.smsMonth(account.id, now)),
      smsSkipped: windowCount(accountWindowKey.smsSkippedMonth(account.id, now)),
    })
    .from(sql`(SELECT 1)`);
  const used: Record<CountedLimit, number> = {
    maxMonitors: Number(row!.maxMonitors),
    maxStatusPages: Number(row!.maxStatusPages),
    maxContacts: Number(row!.maxContacts),
    maxApiClients: Number(row!.maxApiClients),
    seats: Number(row!.members) + Number(row!.pendingInvitations),
    immediateChecksPerHour: Number(row!.immediateChecksPerHour),
    publicApiRequestsPerMinute: Number(row!.publicApiRequestsPerMinute),
    smsPerMonth: Number(row!.smsPerMonth),
  };
  const limits: PlanLimits = limitsOf(account.plan);
  return {
    plan: account.plan,
    label: limits.label,
    counted: COUNTED_LIMITS.map((limit) => ({ limit, used: used[limit], max: limits[limit] })),
    settings: { minIntervalSeconds: limits.minIntervalSeconds, historyDays: limits.historyDays, auditDays: limits.auditDays },
    sms: { skippedThisMonth: Number(row!.smsSkipped), resetsAt: new Date(monthEnd(now)).toISOString() },
  };
}
