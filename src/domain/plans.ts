/** The plans an account can be on; the schema's plan column takes its values from here. */
export const PLANS = ['free', 'solo', 'team'] as const;
export type PlanName = (typeof PLANS)[number];

/** The caller's account: every operation is scoped to it, and its plan sets the limits. */
export type AccountRef = { id: string; plan: PlanName };

export type PlanLimits = {
  /** Shown to people in messages ("Free plan allows …"). */
  label: string;
  maxMonitors: number;
  minIntervalSeconds: number;
  maxApiClients: number;
  publicApiRequestsPerMinute: number;
  historyDays: number;
  maxStatusPages: number;
  /** Checks run at once after a create, URL change or resume; more are left to the schedule. */
  immediateChecksPerHour: number;
  /** Members plus pending invitations. */
  seats: number;
  /** How long the audit log keeps a row. */
  auditDays: number;
  /** Alert contacts per account; every kind (email, webhook, Slack, Discord) is on every plan. */
  maxContacts: number;
  /** Text messages per calendar month (UTC), alerts and verification codes alike: each one costs money. 0: no SMS contacts. */
  smsPerMonth: number;
  /** Regions a monitor may be checked from (CHECK_REGIONS, home first); ALL_REGIONS is every configured one. */
  maxRegions: number;
};

/** A plan's maxRegions when it may use every configured region (more than any deployment configures). */
export const ALL_REGIONS = 99;

/** The one table of what each plan allows; docs/plans.md describes it for people. */
export const PLAN_LIMITS: Record<PlanName, PlanLimits> = {
  free: {
    label: 'Free',
    maxMonitors: 50,
    minIntervalSeconds: 300,
    maxApiClients: 2,
    publicApiRequestsPerMinute: 60,
    historyDays: 30,
    maxStatusPages: 1,
    immediateChecksPerHour: 20,
    seats: 1,
    auditDays: 7,
    maxContacts: 5,
    smsPerMonth: 0,
    maxRegions: 1,
  },
  solo: {
    label: 'Solo',
    maxMonitors: 100,
    minIntervalSeconds: 60,
    maxApiClients: 5,
    publicApiRequestsPerMinute: 300,
    historyDays: 90,
    maxStatusPages: 5,
    immediateChecksPerHour: 60,
    seats: 1,
    auditDays: 90,
    maxContacts: 20,
    smsPerMonth: 50,
    maxRegions: 3,
  },
  team: {
    label: 'Team',
    maxMonitors: 500,
    minIntervalSeconds: 60,
    maxApiClients: 25,
    publicApiRequestsPerMinute: 1200,
    historyDays: 365,
    maxStatusPages: 20,
    immediateChecksPerHour: 200,
    seats: 10,
    auditDays: 365,
    maxContacts: 100,
    smsPerMonth: 250,
    maxRegions: ALL_REGIONS,
  },
};

export const MAX_INTERVAL_SECONDS = 86_400;

export function limitsOf(plan: PlanName): PlanLimits {
  return PLAN_LIMITS[plan];
}

/** The interval a monitor really runs at: never shorter than its account's plan allows (after a downgrade). */
export function effectiveIntervalSeconds(requested: number, plan: PlanName): number {
  return Math.max(requested, PLAN_LIMITS[plan].minIntervalSeconds);
}
