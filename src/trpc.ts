import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import { SIGN_IN_REQUIRED, type PendingCaller } from './auth/caller.js';
import type { SessionUser } from './auth/service.js';
import type { AccessScope } from './auth/tokens.js';
import type { Permission } from './domain/permissions.js';
import type { AccountRef, PlanName } from './domain/plans.js';
import { AppError, badInputFromZod, findAppError, forbidden, unauthenticated, type AppErrorCode } from './domain/errors.js';
import { knownAppError } from './http/errors.js';
import { cursorsFor } from './http/cursors.js';
import type { Plan } from './db/plan.js';
import { describeError } from './log.js';
import type { ApiServices } from './services.js';

export type Partner = { clientId: string; accountId: string; plan: PlanName; scopes: AccessScope[] };

/**
 * Built per request by the transport: who the request says it comes from, its token's signature
 * verified but not yet confirmed against the database (src/auth/caller.ts): a session (internal
 * API) or a partner (public API). Reads confirm it in the same round trip (`ctx.read`), writes
 * before they write (protectedProcedure).
 */
export type Context = {
  svc: ApiServices;
  req: Request;
  resHeaders: Headers;
  /** The caller's address (src/http/client-ip.ts): from the socket or API Gateway, never a header. */
  ip: string;
  session: PendingCaller<SessionUser> | null;
  partner: PendingPartner | null;
};

export type PendingPartner = PendingCaller<Partner> & { scopes: readonly AccessScope[] };

/**
 * A read procedure's one database round trip: `build` makes the read's statements from the
 * account the token names; they run in one batch with the caller's confirmation, which is judged
 * first (a refusal is thrown, the read's rows discarded). Services only build plans.
 */
export type Read = <T>(build: (accountId: string) => Plan<T>) => Promise<{ account: AccountRef; value: T }>;

function readerOf(pending: PendingCaller<{ accountId: string; plan: PlanName }>): Read {
  return async (build) => {
    const { caller, value } = await pending.read(build);
    return { account: accountOf(caller), value };
  };
}

export const accountOf = (caller: { accountId: string; plan: PlanName }): AccountRef => ({ id: caller.accountId, plan: caller.plan });

/** A list procedure's cursors, sealed for its path (so each door's lists are apart), account and filters. */
export function cursorsOf<I extends { limit: number; cursor?: string | null | undefined }>(ctx: Context, path: string, input: I) {
  if (!ctx.svc.keys.cursor) throw new Error('this process holds no cursor key');
  return cursorsFor(ctx.svc.keys.cursor, path, input);
}

/** The session user, or null when there is none or it is refused; for the few procedures open to anyone that use it. */
export async function sessionUserOf(ctx: Context): Promise<SessionUser | null> {
  if (!ctx.session) return null;
  const outcome = await ctx.session.settle();
  if (outcome.ok) return outcome.caller;
  if (outcome.error instanceof AppError && outcome.error.code === 'UNAUTHENTICATED') return null;
  throw outcome.error;
}

/** The tRPC code (and so the HTTP status) of each AppError code: the statuses clients have always seen. */
export const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
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

/**
 * What a procedure declares about who may call it: a permission from src/domain/permissions.ts
 * (see `can` in src/routers/can.ts), or `public` for the few that need no session.
 */
export type ProcedureMeta = OpenApiMeta & { permission?: Permission; public?: true };

/**
 * `data.appCode` on /internal: the AppError's code, or, for what tRPC and the door's shell refuse
 * before any procedure throws one (bad JSON, an unknown procedure, a GET to a mutation, a body over
 * the limit, a content type that is not JSON, a failure nobody expected), the code of its kind. The
 * SPA switches on this one field for every error it can get.
 */
export type DoorAppCode = AppErrorCode | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'METHOD_NOT_SUPPORTED' | 'INTERNAL';

const APP_CODE_OF: Record<TRPC_ERROR_CODE_KEY, DoorAppCode> = {
  PARSE_ERROR: 'BAD_INPUT',
  BAD_REQUEST: 'BAD_INPUT',
  UNPROCESSABLE_CONTENT: 'BAD_INPUT',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  PAYMENT_REQUIRED: 'FORBIDDEN',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_SUPPORTED',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'CONFLICT',
  PRECONDITION_REQUIRED: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  // Without an AppError (which carries retryAfterSeconds) these are failures of ours, not a known outage.
  SERVICE_UNAVAILABLE: 'INTERNAL',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
  NOT_IMPLEMENTED: 'INTERNAL',
  BAD_GATEWAY: 'INTERNAL',
  GATEWAY_TIMEOUT: 'INTERNAL',
  TIMEOUT: 'INTERNAL',
  CLIENT_CLOSED_REQUEST: 'INTERNAL',
};

/** tRPC's own message for input it could not parse is the JSON parser's ("Unexpected end of JSON input"): say what to send. */
function messageOf(error: TRPCError, shapeMessage: string): string {
  if (error.code === 'INTERNAL_SERVER_ERROR') return 'internal error';
  if (error.cause instanceof SyntaxError) return `input must be JSON (a POST body, or ?input= on a GET): ${shapeMessage}`;
  return shapeMessage;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // Stacks go only to a developer's terminal-facing process (Config.isDev), never to a deployed one.
    isDev: false,
    // What an SPA can act on travels in `data`: @trpc/client shows it neither headers nor status.
    errorFormatter({ shape, error, ctx }) {
      const app = findAppError(error);
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        ...shape,
        message: messageOf(error, shape.message),
        data: {
          ...shape.data,
          appCode: app?.code ?? APP_CODE_OF[error.code],
          fieldErrors: app?.details.fieldErrors,
          limit: app?.details.limit,
          retryAfterSeconds: app?.details.retryAfterSeconds,
          ...(ctx?.svc.config.isDev && internal ? { stack: error.stack } : {}),
        },
      };
    },
  });

export const router = t.router;

/**
 * The tRPC door's one error mapper, on the base procedure (so the /api/v1 routes get it too):
 * an AppError, input that fails its schema, and a database that is down or locked all become the
 * TRPCError of their status, carrying the AppError for the error formatter.
 */
export const publicProcedure = t.procedure.use(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const { error } = result;
  if (error.code === 'BAD_REQUEST' && error.cause instanceof ZodError) throw toTRPCError(badInputFromZod(error.cause));
  const app = knownAppError(error, ctx.svc.log, `trpc ${path}`);
  if (app) throw toTRPCError(app);
  // Anything else keeps tRPC's own code; the unexpected ones are logged by the handler's onError.
  return result;
});
export const createCallerFactory = t.createCallerFactory;

/** Internal API: a valid session cookie, confirmed before the procedure runs (one round trip of its own), else 401. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.session) throw unauthenticated(SIGN_IN_REQUIRED);
  const user = await ctx.session.confirm();
  return next({ ctx: { ...ctx, user, account: accountOf(user) } });
});

/**
 * Internal API reads: a signed session cookie, confirmed in the read's own round trip (`ctx.read`).
 * Whatever the procedure did, it answers only once the session is confirmed: a procedure that read
 * nothing through `ctx.read` has it confirmed after, and its result is dropped if refused.
 */
export const sessionReadProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const session = ctx.session;
  if (!session) throw unauthenticated(SIGN_IN_REQUIRED);
  const result = await next({ ctx: { ...ctx, session, read: readerOf(session) } });
  const outcome = await session.settle();
  if (!outcome.ok) throw outcome.error;
  return result;
});

/**
 * Public API: a valid bearer token carrying `scope`, else 401/403 (the transport adds
 * WWW-Authenticate). The client, its plan and the rate-limit hit are confirmed in the read's own
 * round trip (`ctx.read`); the door (src/public/bearer.ts) answers the refusal.
 */
export const partnerProcedure = (scope: AccessScope) =>
  publicProcedure.use(({ ctx, next }) => {
    const partner = ctx.partner;
    if (!partner) throw unauthenticated('a valid bearer token is required');
    if (!partner.scopes.includes(scope)) throw forbidden(`insufficient_scope: ${scope} is required`);
    return next({ ctx: { ...ctx, partner, read: readerOf(partner) } });
  });

/** A 429 or 503 from a procedure tells the client when to come back, in both APIs. */
export function retryAfterHeaders(errors: readonly TRPCError[]): { headers?: Record<string, string> } {
  const seconds = errors.map((e) => findAppError(e)?.details.retryAfterSeconds).find((s) => s !== undefined);
  return seconds === undefined ? {} : { headers: { 'Retry-After': String(seconds) } };
}

/** Only unexpected failures are logged; client errors are the client's business, not an alert. */
export function logInternalError(svc: ApiServices, error: TRPCError, where: string): void {
  if (error.code !== 'INTERNAL_SERVER_ERROR') return;
  svc.log.error('request.failed', { where, ...describeError(error.cause ?? error) });
}
