import { assertMayCreate } from '../accounts/registration.js';
import { protectedProcedure } from '../trpc.js';

/** Signed in, and (when REQUIRE_VERIFIED_EMAIL is on) with a confirmed email: for procedures that create. */
export const verifiedProcedure = protectedProcedure.use(({ ctx, next }) => {
  assertMayCreate(ctx.svc, ctx.user);
  return next();
});
