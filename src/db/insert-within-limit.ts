import { count, getTableColumns, SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { AppError } from '../domain/errors.js';
import type { Db } from './client.js';

export type Quota = {
  /** The rows that count against the limit (e.g. the account's monitors). */
  counted: SQL;
  /** A number, or an expression when other rows share the limit (seats: members + invitations). */
  limit: number | SQL;
  /** The error to throw when the limit is reached, given how many rows count now. */
  refuse: (current: number) => AppError;
};

/**
 * Inserts one row only while fewer than `quota.limit` rows match `quota.counted`, in one statement
 * (INSERT … SELECT … WHERE (SELECT count(*) …) < limit), so parallel inserts cannot overshoot the
 * limit: SQLite runs each statement alone. Values go through the columns' own encoders (dates,
 * booleans), as in any drizzle insert.
 */
export async function insertWithinLimit<T extends SQLiteTable>(
  db: Db,
  table: T,
  row: T['$inferInsert'],
  quota: Quota,
): Promise<void> {
  const inserted = await db.run(insertWithinLimitStatement(table, row, quota));
  if (inserted.rowsAffected === 1) return;
  throw await limitRefusal(db, table, quota);
}

/**
 * The statement insertWithinLimit runs, for a caller that runs it in a batch with the rows that
 * depend on it; a batch result whose rowsAffected is not 1 was refused (see limitRefusal).
 */
export function insertWithinLimitStatement<T extends SQLiteTable>(table: T, row: InsertRow<T>, quota: Quota, onlyIf: SQL = sql`1`): SQL {
  const columns = getTableColumns(table);
  const values = row as Record<string, unknown>;
  const keys = Object.keys(row).filter((k) => values[k] !== undefined);
  const names = sql.join(keys.map((k) => sql.identifier(columns[k]!.name)), sql`, `);
  const encoded = sql.join(keys.map((k) => (values[k] instanceof SQL ? values[k] : sql.param(values[k], columns[k]))), sql`, `);
  return sql`
    INSERT INTO ${table} (${names})
    SELECT ${encoded}
    WHERE (SELECT count(*) FROM ${table} WHERE ${quota.counted}) < ${quota.limit} AND ${onlyIf}`;
}

/** A row to insert, any value of which may be an SQL expression computed by the insert itself. */
export type InsertRow<T extends SQLiteTable> = { [K in keyof T['$inferInsert']]: T['$inferInsert'][K] | SQL };

/** The quota's refusal, naming how many rows count now. */
export async function limitRefusal(db: Db, table: SQLiteTable, quota: Quota): Promise<AppError> {
  const [current] = await db.select({ n: count() }).from(table).where(quota.counted);
  return quota.refuse(current?.n ?? 0);
}
