import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PLANS } from '../domain/plans.js';
import { AUDIT_OUTCOMES, ROLES } from '../domain/permissions.js';
import type { RegionOutcome } from '../domain/regions.js';
import { HOUR_MS, HOUR_SLOTS, ROLLUP_GRAINS } from '../domain/time.js';
import { KEYWORD_MODES, MONITOR_KINDS, MONITOR_METHODS } from '../domain/monitor-kinds.js';

export { KEYWORD_MODES, MONITOR_KINDS, MONITOR_METHODS };

// Times are stored as integer milliseconds since the epoch (UTC); the API turns them into ISO 8601.
const ms = (name: string) => integer(name, { mode: 'timestamp_ms' });
const createdAt = () => ms('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);


export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  plan: text('plan', { enum: PLANS }).notNull().default('free'),
  createdAt: createdAt(),
  /**
   * The account's change counter for its monitors: database triggers bump it whenever a monitor is
   * added, changes what a screen shows, or is removed (migration 0012), so `monitors.changes`
   * answers "what changed since N" without a clock.
   */
  monitorSeq: integer('monitor_seq').notNull().default(0),
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

/**
 * Account emails (links, notices) waiting to be sent after the answer: the whole message is sealed
 * (src/crypto/secret-box.ts, bound to the row id), so no link token or recipient is stored in the
 * clear. A row is deleted once sent, or given up; an answer that sends nothing still writes one (a
 * decoy, sealed like the rest) so every path does the same work (src/mail/outbox.ts).
 */
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: text('id').primaryKey(),
    sealed: text('sealed').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** A sender's claim: no other sender sends this mail until it lapses. */
    leaseToken: text('lease_token'),
    leaseUntil: integer('lease_until'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('mail_outbox_due_idx').on(t.nextAttemptAt)],
);

/** Fixed-window counters shared by every Lambda instance (login throttling, API rate limits). */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetAt: integer('reset_at').notNull(),
}, (t) => [index('rate_limits_reset_idx').on(t.resetAt)]);

/**
 * Where a long job that runs in several invocations (reconcile over many schedules) got to, so the
 * next invocation goes on from there; `finishedAt` is when its last full pass ended.
 */
export const jobCursors = sqliteTable('job_cursors', {
  job: text('job').primaryKey(),
  cursor: text('cursor'),
  finishedAt: ms('finished_at'),
  updatedAt: ms('updated_at').notNull(),
});

// `degraded` (up, but slower than degradedAboveMs) and `maintenance` (inside a window).
export const MONITOR_STATES = ['pending', 'up', 'down', 'degraded', 'maintenance'] as const;
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
    certExpiresAt: ms('cert_expires_at'),
    /** The alert contacts this monitor notifies (ids of alert_contacts of the same account). */
    alertContactIds: text('alert_contact_ids', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    createdAt: createdAt(),
    updatedAt: ms('updated_at'),
    /**
     * A short lease serialising changes to one monitor's schedule across every instance: the
     * scheduler and the database are written in two steps, and two writers interleaving those
     * steps would leave them disagreeing.
     */
    leaseToken: text('lease_token'),
    leaseUntil: integer('lease_until'),
    // --- the kinds' settings (src/monitors/kinds/), SLA time accounting, heartbeat pings ---
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
    /** Who made the current ping token (created or rotated it), and so knows its URL; null once revoked. */
    pingTokenCreatedBy: text('ping_token_created_by'),
    lastPingAt: integer('last_ping_at'),
    lastPingOk: integer('last_ping_ok', { mode: 'boolean' }),
    /** Uptime time-accounting: every moment before this one is already in the rollups' *_ms counters. */
    accruedUntil: integer('accrued_until'),
    /** The account's monitorSeq when this monitor last changed what a screen shows (set by a trigger). */
    changeSeq: integer('change_seq').notNull().default(0),
    /** Alerts wait this long into an incident: one that ends sooner pages no one (0: at once). */
    alertAfterSeconds: integer('alert_after_seconds').notNull().default(0),
    /** While an incident stays open, `monitor.down` is sent again this often; null: never. */
    remindEverySeconds: integer('remind_every_seconds'),
    /**
     * Fan-out mode only (ADR 0015): when the monitor's shard tick next checks it (ms); null while it
     * is paused, and in per-monitor mode, where its own schedule keeps the time.
     */
    nextCheckAt: integer('next_check_at'),
    // --- checking from several regions (src/domain/regions.ts) ---
    /** JSON array of the regions it is checked from, home first; null: home only. */
    regions: text('regions', { mode: 'json' }).$type<string[]>(),
    /** Failing regions that make it down; null: a majority of its regions. */
    failureQuorum: integer('failure_quorum'),
  },
  // Matches the list's order, so a page is an index range with no sort.
  (t) => [
    index('monitors_account_created_idx').on(t.accountId, t.createdAt, t.id),
    index('monitors_account_change_idx').on(t.accountId, t.changeSeq),
    uniqueIndex('monitors_ping_token_idx').on(t.pingTokenHash),
    // A shard is an id range: its tick reads the range's due monitors from this index alone.
    index('monitors_shard_due_idx').on(t.id, t.nextCheckAt),
  ],
);

export type MonitorRow = typeof monitors.$inferSelect;

/**
 * Monitors removed, each at the account's monitorSeq of its removal (written by a trigger), so a
 * screen polling `monitors.changes` drops them. Kept a week (src/checker/prune.ts).
 */
export const monitorRemovals = sqliteTable(
  'monitor_removals',
  {
    accountId: text('account_id').notNull(),
    monitorId: text('monitor_id').notNull(),
    seq: integer('seq').notNull(),
    removedAt: integer('removed_at').notNull(),
  },
  (t) => [index('monitor_removals_account_seq_idx').on(t.accountId, t.seq), index('monitor_removals_at_idx').on(t.removedAt)],
);

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
    /** A check from several regions: JSON array of each region's outcome (RegionOutcome[]); null for one region. */
    regions: text('regions', { mode: 'json' }).$type<RegionOutcome[]>(),
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
    /** Why it closed: the target recovered, or the monitor was paused. */
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
 *
 * A monitor's hours live in HOUR_SLOTS rows it reuses in turn: the upsert of an hour overwrites the
 * hour HOURLY_ROLLUPS_KEPT_MS older in its slot (src/db/accrual.ts), so hourly rows never need a
 * delete. Days keep a row each. Every read filters on `bucket_start`, never on the slot.
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
    /** The row's place among the monitor's rows of its grain: the hour modulo HOUR_SLOTS, or the day's start. Computed by the database from the two above. */
    slot: integer('slot')
      .notNull()
      .generatedAlwaysAs(sql.raw(`CASE "grain" WHEN 'hour' THEN ("bucket_start" / ${HOUR_MS}) % ${HOUR_SLOTS} ELSE "bucket_start" END`), { mode: 'stored' }),
    checks: integer('checks').notNull().default(0),
    okChecks: integer('ok_checks').notNull().default(0),
    totalResponseMs: integer('total_response_ms').notNull().default(0),
    /** SLA-true uptime: time spent up (degraded included), down, and excluded (paused, maintenance, pending). */
    upMs: integer('up_ms').notNull().default(0),
    downMs: integer('down_ms').notNull().default(0),
    excludedMs: integer('excluded_ms').notNull().default(0),
  },
  (t) => [
    // A generated column cannot be in a primary key: the upsert's conflict target is this index.
    uniqueIndex('rollups_slot_idx').on(t.monitorId, t.grain, t.slot),
    index('rollups_bucket_idx').on(t.monitorId, t.grain, t.bucketStart),
  ],
);

/**
 * Per-region response times per monitor and UTC hour/day, upserted with every check from several
 * regions, so latency by region reads these rows, never the raw checks. Time accounting (uptime)
 * stays in `rollups`: it follows the monitor's decided state, not any one region.
 */
export const regionRollups = sqliteTable(
  'region_rollups',
  {
    monitorId: text('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    grain: text('grain', { enum: ROLLUP_GRAINS }).notNull(),
    bucketStart: integer('bucket_start').notNull(),
    region: text('region').notNull(),
    /** Checks that asked this region; those it answered; those it answered up (their times summed). */
    checks: integer('checks').notNull().default(0),
    answered: integer('answered').notNull().default(0),
    okChecks: integer('ok_checks').notNull().default(0),
    totalResponseMs: integer('total_response_ms').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.monitorId, t.grain, t.bucketStart, t.region] })],
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
    /** The user who created it and was shown its secret (null for clients made before this was kept). */
    createdBy: text('created_by'),
  },
  (t) => [index('oauth_clients_account_idx').on(t.accountId)],
);

/**
 * Maintenance windows. One-off (startsAt/endsAt) or weekly (weekday, startTime,
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

export const CONTACT_KINDS = ['email', 'webhook', 'slack', 'discord', 'pagerduty', 'msteams', 'telegram', 'ntfy', 'sms'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const CONTACT_STATUSES = ['pending', 'active'] as const;

/** Where alerts go. Email contacts start pending until their address proves it wants them. */
export const alertContacts = sqliteTable(
  'alert_contacts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: CONTACT_KINDS }).notNull(),
    name: text('name').notNull(),
    /** An email address, an https URL or a chat id, by kind (src/alerts/kinds/). */
    target: text('target').notNull(),
    status: text('status', { enum: CONTACT_STATUSES }).notNull(),
    /** The kind's secret (a webhook's signing secret, a routing key, a bot token, an access token), sealed by src/crypto/secret-box.ts (`v1:<kid>:<iv>:<ct>:<tag>`, bound to the contact id). */
    secretSealed: text('secret_sealed'),
    /** Email verification: HMAC-SHA256 of the 6-digit code under a per-code salt; null once used or voided. */
    codeHash: text('code_hash'),
    codeSalt: text('code_salt'),
    codeFailures: integer('code_failures').notNull().default(0),
    codeExpiresAt: integer('code_expires_at'),
    /** The account's own address, created at sign-up. */
    isOwner: integer('is_owner', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    /** The user who added it (null for the account's own address and contacts made before this was kept). */
    createdBy: text('created_by'),
  },
  (t) => [index('alert_contacts_account_idx').on(t.accountId, t.createdAt)],
);

export const ALERT_EVENT_TYPES = ['monitor.down', 'monitor.up', 'certificate.expiring', 'test'] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

/**
 * What happened, written in the same batch as its cause. The unique keys make a cause give one
 * event however many times it is recorded (overlapping checks of one monitor).
 */
export const alertEvents = sqliteTable(
  'alert_events',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    type: text('type', { enum: ALERT_EVENT_TYPES }).notNull(),
    // No foreign keys to monitors or incidents: the alert history outlives a deleted monitor.
    monitorId: text('monitor_id'),
    incidentId: text('incident_id'),
    certExpiresAt: integer('cert_expires_at'),
    thresholdDays: integer('threshold_days'),
    /** The payload's `data`, frozen when the event happened. */
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** When it is due: a `monitor.down` held by its monitor's alert delay is due when the delay runs out. */
    createdAt: ms('created_at').notNull(),
    /** 0 for the incident's first event of its type; 1, 2, … for the reminders that repeat a `monitor.down`. */
    seq: integer('seq').notNull().default(0),
  },
  (t) => [
    uniqueIndex('alert_events_incident_type_idx').on(t.incidentId, t.type, t.seq).where(sql`${t.incidentId} IS NOT NULL`),
    uniqueIndex('alert_events_cert_threshold_idx')
      .on(t.monitorId, t.certExpiresAt, t.thresholdDays)
      .where(sql`${t.thresholdDays} IS NOT NULL`),
  ],
);

/** `skipped`: never sent, by a rule and not a failure (the incident ended within the alert delay, the SMS allowance was used up). */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const;

/** The outbox: one row per (event, contact), sent by the dispatcher until delivered or failed. */
export const alertDeliveries = sqliteTable(
  'alert_deliveries',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    eventId: text('event_id')
      .notNull()
      .references(() => alertEvents.id, { onDelete: 'cascade' }),
    contactId: text('contact_id').notNull(),
    monitorId: text('monitor_id'),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** A dispatcher's claim: no other dispatcher sends this delivery until it lapses. */
    leaseToken: text('lease_token'),
    leaseUntil: integer('lease_until'),
    /** When a wake-up was last sent to the queue (AWS); the sweep re-sends what was never sent. */
    enqueuedAt: integer('enqueued_at'),
    lastError: text('last_error'),
    deliveredAt: integer('delivered_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('alert_deliveries_event_contact_idx').on(t.eventId, t.contactId),
    index('alert_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('alert_deliveries_account_idx').on(t.accountId, t.createdAt, t.id),
  ],
);

/** Every attempt of every delivery, for the user's delivery history. */
export const deliveryAttempts = sqliteTable(
  'delivery_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => alertDeliveries.id, { onDelete: 'cascade' }),
    attemptedAt: integer('attempted_at').notNull(),
    statusCode: integer('status_code'),
    /** The SMTP server's reply (or the transport's receipt) for email. */
    response: text('response'),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
  },
  (t) => [index('delivery_attempts_delivery_idx').on(t.deliveryId, t.id)],
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
