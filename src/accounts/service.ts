import { eq } from 'drizzle-orm';
import { auditStatement } from '../audit/record.js';
import { accounts, users } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import { limitsOf, type AccountRef, type PlanLimits, type PlanName } from '../domain/plans.js';
import { countMonitors } from '../monitors/reads.js';
import { rescheduleAccount } from '../monitors/scheduling.js';
import { countActiveClients } from '../oauth/clients.js';
import type { Services } from '../services.js';

export type AccountSummary = {
  id: string;
  plan: PlanName;
  limits: PlanLimits;
  usage: { monitors: number; apiClients: number };
  /** The regions this deployment checks from (CHECK_REGIONS), home first: what a monitor's regions are chosen from. */
  checkRegions: string[];
};

export async function accountSummary(svc: Services, { id, plan }: AccountRef): Promise<AccountSummary> {
  const [monitors, apiClients] = await Promise.all([countMonitors(svc, id), countActiveClients(svc, id)]);
  return { id, plan, limits: limitsOf(plan), usage: { monitors, apiClients }, checkRegions: svc.config.regions.all };
}

/**
 * The operator's plan change. Monitors over a lower plan's limit are kept (nobody loses data), but
 * no new ones can be created while over, and every schedule is brought to the plan's shortest
 * interval at once.
 */
export async function setPlanByEmail(svc: Services, email: string, plan: PlanName): Promise<{ accountId: string; monitors: number }> {
  const user = await svc.db.query.users.findFirst({ where: eq(users.email, email.trim().toLowerCase()) });
  if (!user) throw notFound(`user with email ${email}`);
  await svc.db.batch([
    svc.db.update(accounts).set({ plan }).where(eq(accounts.id, user.accountId)),
    // The operator's command line is the actor: no user of the account made this change.
    auditStatement(svc, { accountId: user.accountId, actorId: 'operator', ip: null }, { action: 'plan.set', entity: 'plan', entityId: user.accountId, changes: { plan } }),
  ]);
  const monitors = await rescheduleAccount(svc, { id: user.accountId, plan });
  return { accountId: user.accountId, monitors };
}
