import { recordDenied } from '../audit/record.js';
import { forbidden } from '../domain/errors.js';
import { isWrite, roleHas, type Permission, type Role } from '../domain/permissions.js';
import { assertMayWrite } from '../accounts/registration.js';
import { accountOf, protectedProcedure, publicProcedure, sessionReadProcedure, sessionUserOf, type Context } from '../trpc.js';

/**
 * The procedure builder every signed-in procedure starts from: it declares the permission the
 * procedure needs (test/teams/permissions.test.ts walks the router and fails on one without) and
 * refuses, before the input is even read, a member whose role lacks it, and (where
 * REQUIRE_VERIFIED_EMAIL is on) a write by a user whose email is unconfirmed. A refusal is audited.
 */
export const can = (permission: Permission) =>
  protectedProcedure.meta({ permission }).use(async ({ ctx, next, path }) => {
    if (!roleHas(ctx.user.role, permission)) {
      await recordDenied(ctx.svc, actorOf(ctx), path, path.split('.')[0]!);
      throw forbidden(`your role (${ctx.user.role}) does not allow ${permission}`);
    }
    if (isWrite(permission)) assertMayWrite(ctx.svc, ctx.user);
    return next();
  });

/**
 * `can(permission)` for reads (issue 19): the session is confirmed in the read's own round trip
 * (`ctx.read`, see sessionReadProcedure) instead of one of its own first. The answer still waits
 * for a confirmed session whose role holds the permission (a refusal is audited), so the read's
 * rows go nowhere for a revoked session, a removed member or a role without it.
 */
export const canRead = (permission: Permission) =>
  sessionReadProcedure.meta({ permission }).use(async ({ ctx, next, path }) => {
    const result = await next();
    const outcome = await ctx.session.settle();
    if (!outcome.ok) throw outcome.error;
    const user = outcome.caller;
    if (!roleHas(user.role, permission)) {
      await recordDenied(ctx.svc, actorOf({ account: accountOf(user), user, ip: ctx.ip }), path, path.split('.')[0]!);
      throw forbidden(`your role (${user.role}) does not allow ${permission}`);
    }
    return result;
  });

/** For the few procedures that need no session (register, sign in, emailed links): declared, not forgotten. */
export const anyone = publicProcedure.meta({ public: true });

/** The audit log's "who, in which account, from where" of a signed-in request. */
export const actorOf = (ctx: { account: { id: string }; user: { id: string; role: Role }; ip: string }) => ({
  accountId: ctx.account.id,
  actorId: ctx.user.id,
  ip: ctx.ip,
  role: ctx.user.role,
});

/** Hides what a role may not see of a value, keeping its type (withRequestHidden, withTargetHidden). */
export type Hide<T> = <U extends T>(o: U) => U;

/**
 * The one rule for values only their editors see (a monitor's request headers and body, a contact's
 * URL): a read shows them as they are to a role holding `permission`, through `hide` to any other.
 * The session is already confirmed when the answer is built, so this costs no round trip.
 */
export async function shownTo<T>(ctx: Context, permission: Permission, hide: Hide<T>): Promise<Hide<T>> {
  const user = await sessionUserOf(ctx);
  return user && roleHas(user.role, permission) ? (o) => o : hide;
}
