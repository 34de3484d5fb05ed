import { assertMayCreate } from '../accounts/registration.js';
import type { Permission } from '../domain/permissions.js';
import { can } from './can.js';

/** `can(permission)`, and (when REQUIRE_VERIFIED_EMAIL is on) a confirmed email: for procedures that create. */
export const verifiedProcedure = (permission: Permission) =>
  can(permission).use(({ ctx, next }) => {
    assertMayCreate(ctx.svc, ctx.user);
    return next();
  });
