import type { TRPCError } from '@trpc/server';
import { findAppError } from '../domain/errors.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';

/** A 429 from a procedure tells the client when to come back, in both APIs. */
export function retryAfterHeaders(errors: readonly TRPCError[]): { headers?: Record<string, string> } {
  const seconds = errors.map((e) => findAppError(e)?.details.retryAfterSeconds).find((s) => s !== undefined);
  return seconds === undefined ? {} : { headers: { 'Retry-After': String(seconds) } };
}

/** Only unexpected failures are logged; client errors are the client's business, not an alert. */
export function logInternalError(svc: Services, error: TRPCError, where: string): void {
  if (error.code !== 'INTERNAL_SERVER_ERROR') return;
  svc.log.error('request.failed', { where, ...describeError(error.cause ?? error) });
}
