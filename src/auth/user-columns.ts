import { users } from '../db/schema.js';

/**
 * The user's own columns that every read of a signed-in or signing-in user selects (with the
 * account and role from wherever that read takes them); `asUser` turns the row into the user's shape.
 */
export const USER_COLUMNS = {
  id: users.id,
  email: users.email,
  sessionVersion: users.sessionVersion,
  emailVerifiedAt: users.emailVerifiedAt,
  createdAt: users.createdAt,
};

/** A row with USER_COLUMNS, with `emailVerified` for the stored time it was confirmed. */
export function asUser<R extends { emailVerifiedAt: unknown }>(row: R): Omit<R, 'emailVerifiedAt'> & { emailVerified: boolean } {
  const { emailVerifiedAt, ...rest } = row;
  return { ...rest, emailVerified: emailVerifiedAt !== null };
}
