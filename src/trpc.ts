import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import type { SessionUser } from './auth/service.js';
import type { AccessScope } from './auth/tokens.js';
import { databaseUnavailable, isDatabaseUnavailable } from './db/unavailable.js';
import { AppError, findAppError, type AppErrorCode, type FieldError } from './domain/errors.js';
import { describeError } from './log.js';
import type { Services } from './services.js';

export type Partner = { clientId: string; accountId: string; scopes: AccessScope[] };

/** Built per request by the transport: the session user (internal API) or the partner (public API). */
export type Context = {
  svc: Services;
  req: Request;
  resHeaders: Headers;
  /** The caller's address (src/http/client-ip.ts): from the socket or API Gateway, never a header. */
  ip: string;
  user: SessionUser | null;
  partner: Partner | null;
};

/** One error per field (the first rule it breaks), so a form shows each field's problem once. */
export function fieldErrorsOf(error: ZodError): FieldError[] {
  const byPath = new Map<string, string>();
  for (const issue of error.issues) {
    const path = issue.path.join('.');
    if (!byPath.has(path)) byPath.set(path, issue.message);
  }
  return [...byPath].map(([path, message]) => ({ path, message }));
}

/** "url: Invalid URL; intervalSeconds: must be a multiple of 60" — the fields a person must fix. */
export function describeZodError(error: ZodError): string {
  return fieldErrorsOf(error)
    .map((f) => (f.path ? `${f.path}: ${f.message}` : f.message))
    .join('; ');
}

/** The tRPC code (and so the HTTP status) of each AppError code: the statuses clients have always seen. */
const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: 'NOT_FOUND',
  BAD_INPUT: 'BAD_REQUEST',
  LIMIT: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHORIZED',
};

export const toTRPCError = (error: AppError) =>
  new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    // Stacks are for developers' terminals, never for responses in any deployed environment.
    isDev: process.env.NODE_ENV === 'development' && !process.env.AWS_LAMBDA_FUNCTION_NAME,
    // What an SPA can act on travels in `data`: @trpc/client shows it neither headers nor status.
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? error.cause : null;
      const app = findAppError(error);
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        ...shape,
        message: zod ? describeZodError(zod) : internal ? 'internal error' : shape.message,
        data: {
          ...shape.data,
          appCode: zod ? ('BAD_INPUT' as const) : app?.code,
          fieldErrors: zod ? fieldErrorsOf(zod) : app?.details.fieldErrors,
          limit: app?.details.limit,
          retryAfterSeconds: app?.details.retryAfterSeconds,
        },
      };
    },
  });

export const router = t.router;

/**
 * The tRPC door's one error mapper, on the base procedure (so trpc-to-openapi's routes get it too):
 * an AppError becomes the TRPCError of its status, and a database that is down or locked is a 503
 * the client can retry, not a 500.
 */
export const publicProcedure = t.procedure.use(async ({ ctx, next }) => {
  const result = await next();
  if (result.ok) return result;
  const app = findAppError(result.error);
  if (app) throw toTRPCError(app);
  if (isDatabaseUnavailable(result.error)) {
    ctx.svc.log.error('database.unavailable', describeError(result.error.cause ?? result.error));
    throw toTRPCError(databaseUnavailable());
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
