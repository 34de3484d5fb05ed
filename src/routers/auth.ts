import { z } from 'zod';
import { clearedSessionCookie, sessionCookie } from '../auth/cookies.js';
import { credentialsSchema, userSchema } from '../auth/schemas.js';
import { login, register, revokeAllSessions, toPublicUser, type SignedIn } from '../auth/service.js';
import { protectedProcedure, publicProcedure, router, type Context } from '../trpc.js';

const signedIn = z.object({ user: userSchema });

function startSession(ctx: Context, { user, token }: SignedIn) {
  ctx.resHeaders.append('Set-Cookie', sessionCookie(token));
  return { user: toPublicUser(user) };
}

export const authRouter = router({
  register: publicProcedure
    .input(credentialsSchema)
    .output(signedIn)
    .mutation(async ({ ctx, input }) => startSession(ctx, await register(ctx.svc, input))),

  login: publicProcedure
    .input(credentialsSchema)
    .output(signedIn)
    .mutation(async ({ ctx, input }) => startSession(ctx, await login(ctx.svc, input, ctx.ip))),

  /** Ends this browser's session; needs no valid session, so a stale cookie can always be cleared. */
  logout: publicProcedure.output(z.object({ ok: z.literal(true) })).mutation(({ ctx }) => {
    ctx.resHeaders.append('Set-Cookie', clearedSessionCookie());
    return { ok: true as const };
  }),

  /** Ends every session of this user, on every device. */
  logoutEverywhere: protectedProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    await revokeAllSessions(ctx.svc, ctx.user.id);
    ctx.resHeaders.append('Set-Cookie', clearedSessionCookie());
    return { ok: true as const };
  }),

  me: protectedProcedure.output(userSchema).query(({ ctx }) => toPublicUser(ctx.user)),
});
