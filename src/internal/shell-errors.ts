import { getErrorShape, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../domain/errors.js';
import { appErrorOf, retryAfterHeader } from '../http/errors.js';
import type { Logger } from '../log.js';
import { appRouter } from '../routers/index.js';
import { toTRPCError } from '../trpc.js';

/**
 * The tRPC door's answer to what the shell refuses before tRPC runs (a foreign Origin, a body over
 * the limit, an oversized batch) and to what fails outside any procedure: tRPC's own error shape,
 * built by the same error formatter, so @trpc/client reads its code, message and data instead of
 * failing to parse. `{ error }` serves batched calls too: the client gives the one error to every
 * call of the batch. Given the batch's procedure paths, it answers as tRPC answers a batch, one
 * error per call, each naming its path.
 */
export function trpcShellError(c: Context, error: AppError | TRPCError, paths?: readonly string[]): Response {
  const trpcError = error instanceof AppError ? toTRPCError(error) : error;
  const shapeFor = (path: string | undefined) =>
    getErrorShape({
      config: appRouter._def._config,
      error: trpcError,
      type: 'unknown',
      path,
      input: undefined,
      ctx: undefined,
    });
  const status = getHTTPStatusCodeFromError(trpcError) as ContentfulStatusCode;
  const body = paths ? paths.map((path) => ({ error: shapeFor(path) })) : { error: shapeFor(undefined) };
  return c.json(body, status, retryAfterHeader(error instanceof AppError ? error : undefined));
}

/** The door's onError: a failure no procedure caught, in tRPC's shape. */
export function trpcDoorError(log: Logger) {
  return (error: unknown, c: Context): Response =>
    trpcShellError(c, appErrorOf(error, log, `${c.req.method} ${c.req.path}`) ?? new TRPCError({ code: 'INTERNAL_SERVER_ERROR' }));
}

export const payloadTooLarge = (message: string) => new TRPCError({ code: 'PAYLOAD_TOO_LARGE', message });
