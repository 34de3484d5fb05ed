import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import type { SessionUser } from './auth/service.js';
import type { AccessScope } from './auth/tokens.js';
import { databaseUnavailable, isDatabaseUnavailable } from './db/unavailable.js';
import { describeError } from './log.js';
import type { Services } from './services.js';

export type Partner = { clientId: string; accountId: string; scopes: AccessScope[] };

/** Built per request by the transport: the session user (internal API) or the partner (public API). */
export type Context = {
  svc: Services;
  req: Request;
  resHeaders: Headers;
  user: SessionUser | null;
  partner: Partner | null;
};

/** "url: Invalid URL; intervalSeconds: must be a multiple of 60" — the fields a person must fix. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    // Stacks are for developers' terminals, never for responses in any deployed environment.
    isDev: process.env.NODE_ENV === 'development' && !process.env.AWS_LAMBDA_FUNCTION_NAME,
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? error.cause : null;
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        ...shape,
        message: zod ? describeZodError(zod) : internal ? 'internal error' : shape.message,
        data: {
          ...shape.data,
          fieldErrors: zod ? zod.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : undefined,
        },
      };
    },
  });

export const router = t.router;

/** Every procedure: a database that is down or locked is a 503 the client can retry, not a 500. */
export const publicProcedure = t.procedure.use(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok && isDatabaseUnavailable(result.error)) {
    ctx.svc.log.error('database.unavailable', describeError(result.error.cause ?? result.error));
    throw databaseUnavailable();
  }
  return result;
});
export const createCallerFactory = t.createCallerFactory;

/** Internal API: a valid session cookie, else 401. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in required' });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Public API: a valid bearer token carrying `scope`, else 401/403 (the transport adds WWW-Authenticate). */
export const partnerProcedure = (scope: AccessScope) =>
  publicProcedure.use(({ ctx, next }) => {
    if (!ctx.partner) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'a valid bearer token is required' });
    if (!ctx.partner.scopes.includes(scope)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `insufficient_scope: ${scope} is required` });
    }
    return next({ ctx: { ...ctx, partner: ctx.partner } });
  });
