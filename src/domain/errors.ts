import type { ZodError, ZodIssue } from 'zod';

/**
 * The one error that services, rules, the database layer and the CLI throw. It knows no transport:
 * each door (tRPC, REST /auth, public /api/v1, OAuth) maps it once, where the door is mounted.
 * See docs/adr/0004-error-model.md.
 */
export const APP_ERROR_CODES = [
  'NOT_FOUND',
  'BAD_INPUT',
  'LIMIT',
  'CONFLICT',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'FORBIDDEN',
  'UNAUTHENTICATED',
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/** A rule about one field, named by its dotted path (`expectedStatusCodes`, `headers.0.name`). */
export type FieldError = { path: string; message: string };

/** What a plan allows and what the account has, so a client can say "3 of 3 monitors" and offer an upgrade. */
export type LimitDetails = { plan: string; limit: number; current: number };

export type AppErrorDetails = {
  fieldErrors?: FieldError[];
  limit?: LimitDetails;
  /** With RATE_LIMITED and UNAVAILABLE: when the client may try again. */
  retryAfterSeconds?: number;
};

export class AppError extends Error {
  override name = 'AppError';

  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: AppErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);

/** A rule about one field: the message names the field once, and fieldErrors carries it for forms. */
export const badInput = (path: string, message: string) =>
  new AppError('BAD_INPUT', `${path}: ${message}`, { fieldErrors: [{ path, message }] });

/** `field`: the input field whose value meets the limit (a form shows the refusal beside it), when one does. */
export const limitReached = (message: string, limit: LimitDetails, field?: string) =>
  new AppError('LIMIT', message, { limit, ...(field ? { fieldErrors: [{ path: field, message }] } : {}) });

export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', message, { retryAfterSeconds });

export const unavailable = (message: string, retryAfterSeconds: number) =>
  new AppError('UNAVAILABLE', message, { retryAfterSeconds });

export const conflict = (message: string) => new AppError('CONFLICT', message);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
export const unauthenticated = (message: string) => new AppError('UNAUTHENTICATED', message);

/** The HTTP status each code answers with, on every door. */
export const HTTP_STATUS: Record<AppErrorCode, 400 | 401 | 403 | 404 | 409 | 429 | 503> = {
  BAD_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  LIMIT: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/** Finds an AppError anywhere in a cause chain (tRPC and Drizzle both wrap what they catch). */
export function findAppError(error: unknown): AppError | undefined {
  for (let e = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AppError) return e;
  }
  return undefined;
}

/**
 * One error per field (the first rule it breaks), so a form shows each field's problem once. An
 * unknown key is a field of its own: its path names the key (`intervalSecs`, `auth.tokn`), not the
 * object that holds it. Input that matches no member of a union (a one-off or a weekly window) is
 * reported as the member it came closest to (the fewest problems), field by field, rather than as
 * one "Invalid input" that names nothing.
 */
export function fieldErrorsOf(error: ZodError): FieldError[] {
  const byPath = new Map<string, string>();
  const add = (path: PropertyKey[], message: string) => {
    const key = path.map(String).join('.');
    if (!byPath.has(key)) byPath.set(key, message);
  };
  const visit = (issues: readonly ZodIssue[], prefix: PropertyKey[]) => {
    for (const issue of issues) {
      const path = [...prefix, ...issue.path];
      if (issue.code === 'invalid_union' && issue.errors.length > 0) {
        const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
        visit(closest, path);
      } else if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) add([...path, key], issue.keys.length === 1 ? issue.message : 'unknown field');
      } else {
        add(path, issue.message);
      }
    }
  };
  visit(error.issues, []);
  return [...byPath].map(([path, message]) => ({ path, message }));
}

/** "url: Invalid URL; intervalSeconds: must be a multiple of 60" — the fields a person must fix. */
export function describeFieldErrors(fieldErrors: FieldError[]): string {
  return fieldErrors.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
}

/** Input that fails its schema is BAD_INPUT like any other rule about a field. */
export function badInputFromZod(error: ZodError): AppError {
  const fieldErrors = fieldErrorsOf(error);
  return new AppError('BAD_INPUT', describeFieldErrors(fieldErrors), { fieldErrors });
}
