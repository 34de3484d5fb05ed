/**
 * The monthly SMS allowance of an account's plan (src/domain/plans.ts: smsPerMonth): every text we
 * send — an alert or a verification code — costs money, so each is spent from it *before* it is
 * sent, in one atomic upsert that refuses at the limit: senders racing at the edge (several
 * notifiers, a code beside an alert) never pass it. A send that SNS refused is given back.
 */
import { sql } from 'drizzle-orm';
import { accountWindowKey, hitWindow, refundHit } from '../db/rate-limit.js';
import { limitsOf, PLAN_LIMITS, PLANS, type PlanName } from '../domain/plans.js';
import { monthEnd } from '../domain/time.js';
import type { Services } from '../services.js';

export type SmsSpend = { allowed: true; key: string } | { allowed: false; reason: string; plan: PlanName; limit: number };

/** The account's plan's allowance, as SQL: read in the spend's own statement, so a plan change bites at once. */
const allowanceOf = (accountId: string) =>
  sql`(CASE (SELECT plan FROM accounts WHERE id = ${accountId}) ${sql.join(
    PLANS.map((p) => sql`WHEN ${p} THEN ${PLAN_LIMITS[p].smsPerMonth}`),
    sql` `,
  )} ELSE 0 END)`;

/** Spends one text from this month's allowance, or says why not (the plan has none, or it is used up). */
export async function spendSms(svc: Pick<Services, 'db' | 'now'>, accountId: string): Promise<SmsSpend> {
  const now = svc.now();
  const key = accountWindowKey.smsMonth(accountId, now);
  const limit = allowanceOf(accountId);
  const rows = await svc.db.all<{ count: number }>(sql`
    INSERT INTO rate_limits (key, count, reset_at) SELECT ${key}, 1, ${monthEnd(now)} WHERE ${limit} > 0
    ON CONFLICT (key) DO UPDATE SET count = rate_limits.count + 1 WHERE rate_limits.count < ${limit}
    RETURNING count`);
  if (rows.length === 1) return { allowed: true, key };
  const [account] = await svc.db.all<{ plan: PlanName }>(sql`SELECT plan FROM accounts WHERE id = ${accountId}`);
  const plan = account?.plan ?? 'free';
  const limits = limitsOf(plan);
  const reason =
    limits.smsPerMonth === 0
      ? `the ${limits.label} plan includes no SMS; upgrade to send text messages`
      : `the ${limits.label} plan's ${limits.smsPerMonth} SMS this month are used up; more are sent from the 1st (UTC)`;
  return { allowed: false, reason, plan, limit: limits.smsPerMonth };
}

/** Gives back a text SNS refused (nothing was sent). */
export const refundSms = (svc: Pick<Services, 'db'>, spend: { key: string }) => refundHit(svc.db, spend.key);

/** Counts an SMS alert skipped at the allowance, for the plan & usage screen. */
export async function noteSmsSkipped(svc: Pick<Services, 'db' | 'now'>, accountId: string): Promise<void> {
  const now = svc.now();
  await hitWindow(svc.db, accountWindowKey.smsSkippedMonth(accountId, now), Number.MAX_SAFE_INTEGER, monthEnd(now) - now, now);
}
