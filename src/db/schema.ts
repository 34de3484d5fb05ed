import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PLANS } from '../domain/plans.js';
import { ROLLUP_GRAINS } from '../domain/time.js';

// Times are stored as integer milliseconds since the epoch (UTC); the API turns them into ISO 8601.
const ms = (name: string) => integer(name, { mode: 'timestamp_ms' });
const createdAt = () => ms('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);


export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  plan: text('plan', { enum: PLANS }).notNull().default('free'),
  createdAt: createdAt(),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** Trimmed and lower-cased before it is stored or looked up. */
    email: text('email').notNull().unique(),
    passwordHash: text('password_hash').notNull(),
    /** Copied into every session token; bumping it revokes all of the user's sessions. */
    sessionVersion: integer('session_version').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('users_account_idx').on(t.accountId)],
);

/** Fixed-window counters shared by every Lambda instance (login throttling, API rate limits). */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetAt: integer('reset_at').notNull(),
});

export const MONITOR_METHODS = ['GET', 'HEAD', 'POST'] as const;
// issue 18: `degraded` (up, but slower than degradedAboveMs) and `maintenance` (inside a window).
export const MONITOR_STATES = ['pending', 'up', 'down', 'degraded', 'maintenance'] as const;
export const MONITOR_KINDS = ['http', 'tcp', 'heartbeat'] as const;
export const KEYWORD_MODES = ['present', 'absent'] as const;
export const INCIDENT_CLOSURES = ['recovered', 'paused'] as const;

export const monitors = sqliteTable(
  'monitors',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    url: text('url').notNull(),
    method: text('method', { enum: MONITOR_METHODS }).notNull().default('GET'),
    intervalSeconds: integer('interval_seconds').notNull(),
    timeoutMs: integer('timeout_ms').notNull().default(10_000),
    /** Comma-separated codes and ranges, e.g. "200-399" or "200,204,301-302". */
    expectedStatusCodes: text('expected_status_codes').notNull().default('200-399'),
    keyword: text('keyword'),
    paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: MONITOR_STATES }).notNull().default('pending'),
    statusSince: ms('status_since'),
    lastCheckedAt: ms('last_checked_at'),
    lastStatusCode: integer('last_status_code'),
    lastResponseTimeMs: integer('last_response_time_ms'),
    lastReason: text('last_reason'),
    certExpiresAt: ms('cert_expires_at'),
    createdAt: createdAt(),
    updatedAt: ms('updated_at'),
    /**
     * A short lease serialising changes to one monitor's schedule across every instance: the
     * scheduler and the database are written in two steps, and two writers interleaving those
     * steps would leave them disagreeing.
     */
    leaseToken: text('lease_token'),
    leaseUntil: integer('lease_until'),
    // --- issue 18: monitoring depth ---
    kind: text('kind', { enum: MONITOR_KINDS }).notNull().default('http'),
    /** JSON object of extra request headers (http), validated on input. */
    requestHeaders: text('request_headers'),
    requestBody: text('request_body'),
    /** 'basic' | 'bearer'; the credential itself is only in authSealed (src/crypto/secret-box.ts). */
    authType: text('auth_type', { enum: ['basic', 'bearer'] }),
    authSealed: text('auth_sealed'),
    keywordMode: text('keyword_mode', { enum: KEYWORD_MODES }).notNull().default('present'),
    keywordCaseSensitive: integer('keyword_case_sensitive', { mode: 'boolean' }).notNull().default(false),
    degradedAboveMs: integer('degraded_above_ms'),
    /** JSON array of lower-cased tags. */
    tags: text('tags').notNull().default('[]'),
    graceSeconds: integer('grace_seconds'),
    /** SHA-256 (hex) of the heartbeat's ping token; the token itself is shown once. */
    pingTokenHash: text('ping_token_hash'),
    lastPingAt: integer('last_ping_at'),
    lastPingOk: integer('last_ping_ok', { mode: 'boolean' }),
    /** Uptime time-accounting: every moment before this one is already in the rollups' *_ms counters. */
    accruedUntil: integer('accrued_until'),
  },
  // Matches the list's order, so a page is an index range with no sort.
  (t) => [
    index('monitors_account_created_idx').on(t.accountId, t.createdAt, t.id),
    uniqueIndex('monitors_ping_token_idx').on(t.pingTokenHash),
  ],
);

export type MonitorRow = typeof monitors.$inferSelect;

export const checks = sqliteTable(
  'checks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    monitorId: text('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    checkedAt: ms('checked_at').notNull(),
    ok: integer('ok', { mode: 'boolean' }).notNull(),
    statusCode: integer('status_code'),
    responseTimeMs: integer('response_time_ms'),
    reason: text('reason'),
  },
  (t) => [
    index('checks_monitor_time_idx').on(t.monitorId, t.checkedAt, t.id),
    index('checks_time_idx').on(t.checkedAt),
  ],
);

export const incidents = sqliteTable(
  'incidents',
  {
    id: text('id').primaryKey(),
    monitorId: text('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    startedAt: ms('started_at').notNull(),
    resolvedAt: ms('resolved_at'),
    reason: text('reason').notNull(),
    /** issue 18: why it closed: the target recovered, or the monitor was paused. */
    closedBy: text('closed_by', { enum: INCIDENT_CLOSURES }),
  },
  (t) => [
    index('incidents_monitor_idx').on(t.monitorId, t.startedAt),
    // At most one open incident per monitor, whatever the order in which checks land.
    uniqueIndex('incidents_one_open_idx').on(t.monitorId).where(sql`${t.resolvedAt} IS NULL`),
  ],
);


/**
 * Check counts per monitor and UTC hour/day, upserted with every check, so uptime over 24 h reads
 * at most 25 hourly rows and over 90 days at most 91 daily rows, never the raw checks.
 */
export const rollups = sqliteTable(
  'rollups',
  {
    monitorId: text('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    grain: text('grain', { enum: ROLLUP_GRAINS }).notNull(),
    /** Start of the hour or day, ms since the epoch (UTC). */
    bucketStart: integer('bucket_start').notNull(),
    checks: integer('checks').notNull().default(0),
    okChecks: integer('ok_checks').notNull().default(0),
    totalResponseMs: integer('total_response_ms').notNull().default(0),
    /** issue 18, SLA-true uptime: time spent up (degraded included), down, and excluded (paused, maintenance, pending). */
    upMs: integer('up_ms').notNull().default(0),
    downMs: integer('down_ms').notNull().default(0),
    excludedMs: integer('excluded_ms').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.monitorId, t.grain, t.bucketStart] })],
);

export const oauthClients = sqliteTable(
  'oauth_clients',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: createdAt(),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('oauth_clients_account_idx').on(t.accountId)],
);

/**
 * issue 18: maintenance windows. One-off (startsAt/endsAt) or weekly (weekday, startTime,
 * durationMinutes in an IANA time zone); for every monitor of the account or a listed few.
 */
export const maintenanceWindows = sqliteTable(
  'maintenance_windows',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** JSON array of monitor ids, or null for every monitor of the account. */
    monitorIds: text('monitor_ids'),
    kind: text('kind', { enum: ['once', 'weekly'] }).notNull(),
    startsAt: integer('starts_at'),
    endsAt: integer('ends_at'),
    /** 0 = Sunday … 6 = Saturday, in timeZone. */
    weekday: integer('weekday'),
    /** "HH:MM" in timeZone. */
    startTime: text('start_time'),
    durationMinutes: integer('duration_minutes'),
    timeZone: text('time_zone'),
    createdAt: createdAt(),
  },
  (t) => [index('maintenance_account_idx').on(t.accountId, t.createdAt, t.id)],
);
