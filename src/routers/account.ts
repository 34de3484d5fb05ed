import * as z from 'zod';
import { accountSummary } from '../accounts/service.js';
import { sessionCookie } from '../auth/cookies.js';
import { userSchema } from '../auth/schemas.js';
import { toPublicUser } from '../auth/service.js';
import { requestOrigin } from '../auth/sessions.js';
import { PLANS } from '../domain/plans.js';
import { switchInput } from '../teams/schemas.js';
import { switchAccount } from '../teams/switch.js';
import { router } from '../trpc.js';
import { accountUsage, COUNTED_LIMITS } from '../usage/account-usage.js';
import { can } from './can.js';

const accountOutput = z.object({
  id: z.string(),
  plan: z.enum(PLANS),
  limits: z.object({
    label: z.string(),
    maxMonitors: z.number(),
    minIntervalSeconds: z.number(),
    maxApiClients: z.number(),
    publicApiRequestsPerMinute: z.number(),
    historyDays: z.number(),
    immediateChecksPerHour: z.number(),
    seats: z.number(),
    auditDays: z.number(),
    /** How many regions a monitor may be checked from (99: every one configured). */
    maxRegions: z.number(),
  }),
  usage: z.object({ monitors: z.number(), apiClients: z.number() }),
  /** The regions monitors can be checked from, home first. */
  checkRegions: z.array(z.string()),
});

const usageOutput = z.object({
  plan: z.enum(PLANS),
  label: z.string(),
  /** One row per counted limit of the plan: how many are used, and how many the plan allows. */
  counted: z.array(z.object({ limit: z.enum(COUNTED_LIMITS), used: z.number().int(), max: z.number().int() })),
  settings: z.object({ minIntervalSeconds: z.number().int(), historyDays: z.number().int(), auditDays: z.number().int() }),
  /** The SMS allowance's month (counted as smsPerMonth): SMS alerts skipped at it so far, and when it starts again. */
  sms: z.object({ skippedThisMonth: z.number().int(), resetsAt: z.iso.datetime() }),
});

export const accountRouter = router({
  get: can('account:read')
    .output(accountOutput)
    .query(({ ctx }) => accountSummary(ctx.svc, ctx.account)),

  /** Used and allowed for every counted limit of the plan, and the plan's settings (interval, history, audit). */
  usage: can('account:read')
    .output(usageOutput)
    .query(({ ctx }) => accountUsage(ctx.svc, ctx.account)),

  /** Re-issues the session for another account the user belongs to (auth.me lists them). */
  switch: can('self')
    .input(switchInput)
    .output(z.object({ user: userSchema }))
    .mutation(async ({ ctx, input }) => {
      const { user, token } = await switchAccount(ctx.svc, ctx.user, requestOrigin(ctx.ip, ctx.req.headers), input.accountId);
      ctx.resHeaders.append('Set-Cookie', sessionCookie(token));
      return { user: toPublicUser(user) };
    }),
});
