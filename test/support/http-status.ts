import type { TRPCClientError } from '@trpc/client';
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
