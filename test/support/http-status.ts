import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../src/routers/index.js';

/** The HTTP status a tRPC call ended with: 200, or its error's status. */
export async function httpStatusOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return 200;
  } catch (e) {
    return (e as TRPCClientError<AppRouter>).data?.httpStatus;
  }
}

/** What a failed tRPC call tells the SPA: its code, status, message and the data it can act on. */
export async function rejection(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data = error.data as { code?: string; httpStatus?: number; fieldErrors?: unknown; limit?: unknown; retryAfterSeconds?: number } | undefined;
      return { code: data?.code as string, status: data?.httpStatus as number, message: error.message, fieldErrors: data?.fieldErrors, limit: data?.limit, retryAfterSeconds: data?.retryAfterSeconds };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}
