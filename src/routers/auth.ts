import * as z from 'zod';
import { changePassword, requestPasswordReset, resetPassword } from '../accounts/passwords.js';
import { register, resendVerification, verifyEmail } from '../accounts/registration.js';
import { clearedSessionCookie, sessionCookie } from '../auth/cookies.js';
import {
  changePasswordSchema,
  checkYourEmailSchema,
  credentialsSchema,
  emailOnlySchema,
  linkTokenSchema,
  passwordSchema,
  resetPasswordSchema,
  userSchema,
} from '../auth/schemas.js';
import { login, toPublicUser } from '../auth/service.js';
import { requestOrigin, revokeAllSessions, revokeSession } from '../auth/sessions.js';
import { membershipOutput } from '../teams/schemas.js';
import { accountsOf } from '../teams/switch.js';
import { router, sessionUserOf } from '../trpc.js';
import { actorOf, anyone, can } from './can.js';

const ok = z.object({ ok: z.literal(true) });
const signedOut = z.object({ ok: z.literal(true), signedOutSessions: z.number().int() });

export const authRouter = router({
  /** Never signs in, and answers the same whether or not the email has an account. */
  register: anyone
    .input(credentialsSchema)
    .output(checkYourEmailSchema)
    .mutation(({ ctx, input }) => register(ctx.svc, input, ctx.ip)),

  /** With the password chosen at registration: a confirmation never verifies a password its confirmer did not set. */
  verifyEmail: anyone
    .input(z.strictObject({ token: linkTokenSchema, password: passwordSchema }))
    .output(z.object({ email: z.string() }))
    .mutation(({ ctx, input }) => verifyEmail(ctx.svc, input.token, input.password)),

  resendVerification: can('self')
    .output(checkYourEmailSchema)
    .mutation(({ ctx }) => resendVerification(ctx.svc, ctx.user)),

  login: anyone
    .input(credentialsSchema)
    .output(z.object({ user: userSchema }))
    .mutation(async ({ ctx, input }) => {
      const { user, token } = await login(ctx.svc, input, requestOrigin(ctx.ip, ctx.req.headers));
      ctx.resHeaders.append('Set-Cookie', sessionCookie(token));
      return { user: toPublicUser(user) };
    }),

  /** Ends this session on the server; needs no valid session, so a stale cookie can always be cleared. */
  logout: anyone.output(ok).mutation(async ({ ctx }) => {
    const user = await sessionUserOf(ctx);
    if (user) await revokeSession(ctx.svc, user.sessionId, { accountId: user.accountId, actorId: user.id, ip: ctx.ip });
    ctx.resHeaders.append('Set-Cookie', clearedSessionCookie());
    return { ok: true as const };
  }),

  /** Ends every session of this user, on every device, and says how many. */
  logoutEverywhere: can('self').output(signedOut).mutation(async ({ ctx }) => {
    const signedOutSessions = await revokeAllSessions(ctx.svc, ctx.user.id, actorOf(ctx));
    ctx.resHeaders.append('Set-Cookie', clearedSessionCookie());
    return { ok: true as const, signedOutSessions };
  }),

  requestPasswordReset: anyone
    .input(emailOnlySchema)
    .output(checkYourEmailSchema)
    .mutation(({ ctx, input }) => requestPasswordReset(ctx.svc, input.email, ctx.ip)),

  /** Sets the new password and ends every session; the person then signs in with it. */
  resetPassword: anyone
    .input(resetPasswordSchema)
    .output(signedOut)
    .mutation(async ({ ctx, input }) => ({ ok: true as const, ...(await resetPassword(ctx.svc, input.token, input.password, ctx.ip)) })),

  /** Keeps this session and ends every other one. */
  changePassword: can('self')
    .input(changePasswordSchema)
    .output(signedOut)
    .mutation(async ({ ctx, input }) => ({ ok: true as const, ...(await changePassword(ctx.svc, ctx.user, input, ctx.ip)) })),

  /** The user in the session's account, and every account they belong to with their role there. */
  me: can('self')
    .output(userSchema.extend({ accounts: z.array(membershipOutput) }))
    .query(async ({ ctx }) => ({ ...toPublicUser(ctx.user), accounts: await accountsOf(ctx.svc, ctx.user.id) })),
});
