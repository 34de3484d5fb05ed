import { TRPCClientError } from '@trpc/client';

/**
 * Every failure the app can meet, in the one shape the screens present (ui/Problem.tsx,
 * forms/useApiForm.ts). Nothing else reads an error's wire form, and no screen shows raw JSON.
 */
export type Problem =
  | { kind: 'fields'; message: string; fields: Record<string, string> }
  /** `fields`: the field whose value met the limit, when there is one (a check interval shorter than the plan allows). */
  | { kind: 'limit'; message: string; plan: string; limit: number; current: number; fields: Record<string, string> }
  | { kind: 'rate-limited'; message: string; retryAfterSeconds: number }
  | { kind: 'unauthenticated'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'not-found'; message: string }
  | { kind: 'conflict'; message: string }
  | { kind: 'unavailable'; message: string; retryAfterSeconds: number }
  | { kind: 'offline'; message: string }
  | { kind: 'other'; message: string };

type ErrorData = {
  httpStatus?: number;
  appCode?: string;
  fieldErrors?: { path: string; message: string }[];
  limit?: { plan: string; limit: number; current: number };
  retryAfterSeconds?: number;
};

const OFFLINE = 'Vigil cannot be reached. Check your connection; the app keeps trying.';
const UNAVAILABLE = 'Vigil is briefly unavailable.';

/** Reads what the API said (tRPC's error shape with the app's data) into a Problem. */
export function toProblem(error: unknown): Problem {
  if (!(error instanceof TRPCClientError)) {
    return { kind: 'other', message: error instanceof Error && error.message ? error.message : 'Something went wrong.' };
  }
  const data = (error.data ?? {}) as ErrorData;
  const message = error.message;
  // No response at all (network down, server gone) or a response that was not the API's.
  if (data.httpStatus === undefined) {
    return error.cause instanceof TypeError || !navigator.onLine ? { kind: 'offline', message: OFFLINE } : { kind: 'unavailable', message: UNAVAILABLE, retryAfterSeconds: 5 };
  }
  switch (data.appCode) {
    case 'BAD_INPUT':
      return { kind: 'fields', message, fields: fieldsOf(data) };
    case 'LIMIT':
      return data.limit ? { kind: 'limit', message, ...data.limit, fields: fieldsOf(data) } : { kind: 'other', message };
    case 'RATE_LIMITED':
      return { kind: 'rate-limited', message, retryAfterSeconds: data.retryAfterSeconds ?? 60 };
    case 'UNAVAILABLE':
      return { kind: 'unavailable', message, retryAfterSeconds: data.retryAfterSeconds ?? 5 };
    case 'UNAUTHENTICATED':
      return { kind: 'unauthenticated', message };
    case 'FORBIDDEN':
      return { kind: 'forbidden', message };
    case 'NOT_FOUND':
      return { kind: 'not-found', message };
    case 'CONFLICT':
      return { kind: 'conflict', message };
  }
  if (data.httpStatus === 401) return { kind: 'unauthenticated', message };
  if (data.httpStatus === 503 || data.httpStatus === 502 || data.httpStatus === 504) return { kind: 'unavailable', message: UNAVAILABLE, retryAfterSeconds: data.retryAfterSeconds ?? 5 };
  if (data.httpStatus === 429) return { kind: 'rate-limited', message, retryAfterSeconds: data.retryAfterSeconds ?? 60 };
  if (data.httpStatus >= 500) return { kind: 'other', message: 'Something went wrong on our side. Try again in a moment.' };
  return { kind: 'other', message };
}

const fieldsOf = (data: ErrorData): Record<string, string> => Object.fromEntries((data.fieldErrors ?? []).map((f) => [f.path, f.message]));

/** What a problem says about single fields, to be shown beside them: a refused value, or one past a plan's limit. */
export function fieldProblems(problem: Problem): Record<string, string> {
  return problem.kind === 'fields' || problem.kind === 'limit' ? problem.fields : {};
}

/** Whether a failed read is worth retrying on its own (the banner says so meanwhile). */
export function isTransient(problem: Problem): boolean {
  return problem.kind === 'offline' || problem.kind === 'unavailable';
}
