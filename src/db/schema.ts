import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PLANS } from '../domain/plans.js';
import { AUDIT_OUTCOMES, ROLES } from '../domain/permissions.js';
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
    /** Set when the owner opened a verification (or reset) link sent to this email. */
    emailVerifiedAt: ms('email_verified_at'),
    createdAt: createdAt(),
  },
  (t) => [index('users_account_idx').on(t.accountId)],
);

/** One row per sign-in; the session token's `jti` is its id, so sign-out ends it on the server. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    revokedAt: ms('revoked_at'),
    /** Where the sign-in came from, shown to the user and kept for investigations. */
    ip: text('ip').notNull(),
    userAgent: text('user_agent'),
    /** The account this session acts in (account.switch issues a new session for another one). */
    accountId: text('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expiry_idx').on(t.expiresAt)],
);


export const ACCOUNT_TOKEN_KINDS = ['verify-email', 'reset-password'] as const;
export type AccountTokenKind = (typeof ACCOUNT_TOKEN_KINDS)[number];

/** Single-use links sent by email; only the SHA-256 of the token is kept. */
export const accountTokens = sqliteTable(
  'account_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ACCOUNT_TOKEN_KINDS }).notNull(),
    /** A re-registration's password: it becomes the account's when this link is verified. */
    passwordHash: text('password_hash'),
    expiresAt: ms('expires_at').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('account_tokens_user_idx').on(t.userId), index('account_tokens_expiry_idx').on(t.expiresAt)],
);

/** Fixed-window counters shared by every Lambda instance (login throttling, API rate limits). */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetAt: integer('reset_at').notNull(),
}, (t) => [index('rate_limits_reset_idx').on(t.resetAt)]);

export const MONITOR_METHODS = ['GET', 'HEAD', 'POST'] as const;
export const MONITOR_STATES = ['pending', 'up', 'down'] as const;

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
  },
  // Matches the list's order, so a page is an index range with no sort.
  (t) => [index('monitors_account_created_idx').on(t.accountId, t.createdAt, t.id)],
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

/** A public status page: a slug anyone may read, and the monitors its owner chose to show on it. */
export const statusPages = sqliteTable(
  'status_pages',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** Globally unique: it is the page's public address, /status/{slug}. */
    slug: text('slug').notNull().unique(),
    title: text('title').notNull(),
    description: text('description'),
    /** Opt-ins: by default a page shows neither the monitors' URLs nor the failure reasons. */
    showUrls: integer('show_urls', { mode: 'boolean' }).notNull().default(false),
    showReasons: integer('show_reasons', { mode: 'boolean' }).notNull().default(false),
    /** Space-separated origins allowed to embed the page in a frame; empty means none. */
    frameAncestors: text('frame_ancestors').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [index('status_pages_account_idx').on(t.accountId)],
);

export const statusPageMonitors = sqliteTable(
  'status_page_monitors',
  {
    pageId: text('page_id')
      .notNull()
      .references(() => statusPages.id, { onDelete: 'cascade' }),
    // Deleting a monitor takes it off every page.
    monitorId: text('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** Shown instead of the monitor's own name when set. */
    displayName: text('display_name'),
  },
  (t) => [primaryKey({ columns: [t.pageId, t.monitorId] }), index('status_page_monitors_monitor_idx').on(t.monitorId)],
);

/** Who belongs to which account, and as what; a user may belong to several accounts. */
export const memberships = sqliteTable(
  'memberships',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    /** Bumped by every role change: the session check reads the row, so a change bites on the next request. */
    version: integer('version').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('memberships_account_user_idx').on(t.accountId, t.userId), index('memberships_user_idx').on(t.userId)],
);

/** A pending seat: an emailed single-use link (only its SHA-256 is kept), valid 7 days. */
export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** Trimmed and lower-cased, as users.email. */
    email: text('email').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: text('invited_by').notNull(),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    acceptedAt: ms('accepted_at'),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('invitations_account_idx').on(t.accountId, t.expiresAt)],
);

/** Every change to an account, and every refused attempt: written in the same batch as the change. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** A user id, or an OAuth client id for the public API. */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    ip: text('ip'),
    /** JSON: the changed fields' names and new values, never a secret. */
    changes: text('changes'),
    outcome: text('outcome', { enum: AUDIT_OUTCOMES }).notNull(),
    at: ms('at').notNull(),
  },
  (t) => [index('audit_log_account_at_idx').on(t.accountId, t.at, t.id), index('audit_log_at_idx').on(t.at)],
);
