import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod/mini';
import { REGION_NAME } from './domain/regions.js';

/** Thrown at start-up with one message naming every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

// zod/mini, the tree-shakable build of the same zod: every process parses its environment at cold
// start, and the workers need nothing else of zod (classic zod is ~450 KB of a bundle; ADR 0007).
const booleanFlag = z.pipe(
  z._default(z.enum(['true', 'false', '1', '0', '']), 'false'),
  z.transform((v) => v === 'true' || v === '1'),
);

const databaseUrl = z.string().check(
  z.refine((v) => /^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/.test(v), {
    message: 'must start with file:, libsql://, http(s):// or ws(s)://',
  }),
);

const origins = z.pipe(
  z.pipe(
    z.string(),
    z.transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean)),
  ),
  z.array(
    z.string().check(
      z.refine((o) => {
        try {
          const u = new URL(o);
          return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === o;
        } catch {
          return false;
        }
      }, { message: 'each origin must look like https://app.example.com (scheme and host, no path)' }),
    ),
  ),
);

const secret = z.optional(
  z.string().check(z.refine((s) => Buffer.byteLength(s, 'utf8') >= 32, { message: 'must be at least 32 bytes' })),
);

const arn = z.optional(z.string().check(z.startsWith('arn:', { message: 'must be an ARN (arn:…)' })));
const url = z.optional(z.url({ message: 'must be a URL' }));
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(', ')}` });

/**
 * The request headers a reverse proxy may be trusted to set with the client's address
 * (TRUST_PROXY): X-Forwarded-For (its last entry, the one the proxy appended), X-Real-IP (nginx),
 * CF-Connecting-IP (Cloudflare), True-Client-IP (Akamai, Cloudflare Enterprise), Fly-Client-IP.
 */
export const TRUSTED_PROXY_HEADERS = ['x-forwarded-for', 'x-real-ip', 'cf-connecting-ip', 'true-client-ip', 'fly-client-ip'] as const;
export type TrustedProxyHeader = (typeof TRUSTED_PROXY_HEADERS)[number];

const envSchema = z.object({
  NODE_ENV: z._default(oneOf(['development', 'production', 'test']), 'development'),
  AWS_LAMBDA_FUNCTION_NAME: z.optional(z.string()),
  /** Where the embedded database, the mail files and the generated local secret live. */
  DATA_DIR: z._default(z.string().check(z.minLength(1, { message: 'must not be empty' })), './data'),
  DATABASE_URL: z.optional(databaseUrl),
  DATABASE_AUTH_TOKEN: z.optional(z.string()),
  AUTH_SECRET: secret,
  SESSION_SECRET: secret,
  ACCESS_TOKEN_SECRET: secret,
  SEALING_SECRET: secret,
  /** Comma-separated older sealing secrets, still accepted for opening (rotation). */
  SEALING_SECRET_PREVIOUS: z.optional(z.string()),
  /** Defaults to the Vite dev server and this server's own port (see loadConfig). */
  APP_ORIGINS: z.optional(origins),
  /** The address `npm start` listens on: loopback unless told (the container image sets 0.0.0.0). */
  HOST: z._default(z.string().check(z.regex(/^[0-9A-Za-z.:-]+$/, { message: 'must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0' })), '127.0.0.1'),
  /** Off unless set: the one header a reverse proxy in front sets with the client's address. */
  TRUST_PROXY: z.optional(z.enum(TRUSTED_PROXY_HEADERS, { message: `must be one of ${TRUSTED_PROXY_HEADERS.join(', ')} (or unset: no header is trusted)` })),
  PORT: z._default(z.pipe(z.coerce.number(), z.int({ message: 'must be a port number (1-65535)' }).check(z.gte(1), z.lte(65535))), 3000),
  PUBLIC_BASE_URL: url,
  SCHEDULER: z._default(oneOf(['local', 'eventbridge']), 'local'),
  SCHEDULE_GROUP: z._default(z.string().check(z.minLength(1, { message: 'must not be empty' })), 'vigil-monitors'),
  CHECKER_FUNCTION_ARN: arn,
  SCHEDULER_ROLE_ARN: arn,
  SCHEDULE_DLQ_ARN: arn,
  /** How checks are scheduled: one schedule per monitor, or one per shard of monitors (ADR 0015). */
  CHECK_MODE: z._default(oneOf(['per-monitor', 'fan-out']), 'per-monitor'),
  /** Fan-out mode: the most monitors one shard's tick checks before the shards double. */
  FANOUT_SHARD_SIZE: z._default(z.pipe(z.coerce.number(), z.int({ message: 'must be a whole number of monitors (1-100000)' }).check(z.gte(1), z.lte(100_000))), 1000),
  ALLOW_PRIVATE_TARGETS: booleanFlag,
  MAIL_TRANSPORT: z.optional(oneOf(['file', 'smtp', 'ses'])),
  SMTP_URL: z.optional(z.string().check(z.regex(/^smtps?:\/\//, { message: 'must look like smtp://host:port or smtps://user:pass@host' }))),
  MAIL_FROM: z._default(z.string().check(z.minLength(3, { message: 'must be an address, e.g. Vigil <alerts@example.com>' })), 'Vigil <no-reply@localhost>'),
  MAIL_DIR: z.optional(z.string().check(z.minLength(1, { message: 'must not be empty' }))),
  SMS_TRANSPORT: z.optional(oneOf(['file', 'sns'])),
  SMS_DIR: z.optional(z.string().check(z.minLength(1, { message: 'must not be empty' }))),
  APP_URL: url,
  REQUIRE_VERIFIED_EMAIL: z.optional(oneOf(['true', 'false', '1', '0'])),
  NOTIFY_QUEUE_URL: url,
  ALERT_TEST_CHAT_HOSTS: z.optional(z.string()),
  /** The regions checks run from, comma-separated, the first being home (where the checker runs). */
  CHECK_REGIONS: z.optional(
    z.pipe(
      z.pipe(z.string(), z.transform((v) => [...new Set(v.split(',').map((r) => r.trim()).filter(Boolean))])),
      z.array(z.string().check(z.regex(REGION_NAME, { message: 'each region must look like eu-west-1 (lower-case letters, digits, dashes)' }))).check(
        z.minLength(1, { message: 'must name at least one region, e.g. eu-west-1,us-east-1' }),
      ),
    ),
  ),
  /** AWS only: the probe function's name, the same in every region but home (serverless.probe.yml). */
  PROBE_FUNCTION_NAME: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be a Lambda function name' }))),
  AWS_REGION: z.optional(z.string()),
  ALERT_TEST_TELEGRAM_API: z.optional(z.url()),
});

/** How email leaves; src/mail/transports.ts builds the transport from it. */
export type MailSettings =
  | { transport: 'file'; from: string; dir: string }
  | { transport: 'smtp'; from: string; url: string }
  | { transport: 'ses'; from: string };

/** How text messages leave; src/sms/transports.ts builds the transport from it. */
export type SmsSettings = { transport: 'file'; dir: string } | { transport: 'sns' };

export type Config = {
  env: 'development' | 'production' | 'test';
  onLambda: boolean;
  /** A developer's own machine: error responses may carry stacks. Never on Lambda. */
  isDev: boolean;
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  /**
   * One secret per token kind: the internal API holds only the session secret, the public API
   * only the access-token secret, the workers neither. Locally both may come from AUTH_SECRET.
   */
  tokenSecrets: TokenSecrets;
  /**
   * Key material of the one secret box (src/crypto/secret-box.ts), sealing webhook signing secrets
   * and monitor credentials at rest: the internal API seals, the notifier and the
   * checker open. A secret of its own (SEALING_SECRET), never a token secret; off Lambda
   * AUTH_SECRET (or the generated local secret) stands in. Undefined in every other process.
   */
  sealingSecret: string | undefined;
  /** Older sealing secrets (SEALING_SECRET_PREVIOUS, comma-separated): they still open what they sealed (rotation). */
  sealingSecretsPrevious: string[];
  appOrigins: string[];
  /** Where `npm start` listens (HOST): 127.0.0.1 by default, 0.0.0.0 in the container image. */
  host: string;
  port: number;
  /**
   * The header a reverse proxy sets with the client's address (TRUST_PROXY), trusted for throttles
   * and session records (src/http/client-ip.ts); undefined, the default, trusts no header.
   */
  trustProxy: TrustedProxyHeader | undefined;
  /** DATA_DIR: the database, the mail files and the generated local secret, under one directory (the image's volume). */
  dataDir: string;
  /** Issuer of our tokens and base of the public API's URLs. */
  publicBaseUrl: string;
  scheduler:
    | { kind: 'local' }
    | { kind: 'eventbridge'; group: string; checkerArn: string; roleArn: string; deadLetterArn?: string | undefined };
  /**
   * Per-monitor (one schedule and one checker run per check, the default) or fan-out (one
   * one-minute tick per shard of at most `shardSize` monitors checks every due one; ADR 0015).
   */
  checks: { mode: 'per-monitor' } | { mode: 'fan-out'; shardSize: number };
  /** Never true on Lambda: the runtime API listens on 127.0.0.1 there. */
  allowPrivateTargets: boolean;
  /**
   * Whether a refusal may name the setting that would lift it (ALLOW_PRIVATE_TARGETS), so a person
   * running Vigil on their own machine sees at once why their own service is refused: locally yes;
   * on Lambda and with NODE_ENV=production never (it tells a stranger how the service is configured).
   */
  namesSettings: boolean;
  /** How email leaves: an .eml file locally by default, SMTP, or SES (required on Lambda). */
  mail: MailSettings;
  /** How SMS alerts and codes leave: a .txt file locally by default, Amazon SNS on Lambda. */
  sms: SmsSettings;
  /** The SPA's base URL, for links in emails (monitor pages, verification and reset links). */
  appUrl: string;
  /** Unverified accounts create no monitors. Default: true on Lambda and in production, else false. */
  requireVerifiedEmail: boolean;
  /** The SQS queue that wakes the notifier on AWS; unset locally, where the dispatcher runs in-process. */
  notifyQueueUrl: string | undefined;
  /**
   * Tests only (NODE_ENV=test, never on Lambda): hosts accepted as Slack/Discord webhook hosts, so
   * a loopback receiver can stand in for hooks.slack.com without loosening the rule anywhere else.
   */
  chatWebhookTestHosts: string[];
  /**
   * Where checks run from: `home` (the first of CHECK_REGIONS; default AWS_REGION on Lambda, else
   * `local`) probes in-process, each other region through the probes port (src/probes/regions.ts):
   * on AWS the `probe` function of that name in each region, locally in-process probes named after it.
   */
  regions: { home: string; all: string[]; probeFunctionName: string | undefined };
  /**
   * Where Telegram's Bot API is: https://api.telegram.org, which tests alone (NODE_ENV=test, never
   * on Lambda) point at a loopback receiver with ALERT_TEST_TELEGRAM_API.
   */
  telegramApiOrigin: string;
};

/**
 * What a process needs decides what it must be given: the internal API signs sessions and creates
 * schedules; the public API only verifies tokens; reconcile creates schedules but never sees a
 * credential; prune and the notify sweep need neither. The notifier opens webhook signing secrets
 * and the checker monitor credentials, both sealed under a key derived from
 * SEALING_SECRET (src/crypto/secret-box.ts): each is given that secret alone and is built with
 * buildServices, so neither holds a token secret or key.
 */
export type ConfigRole = 'api' | 'public-api' | 'reconcile' | 'worker' | 'checker' | 'notifier';

export type TokenSecrets = { session: string | undefined; access: string | undefined };
const NEEDS_SEALING_SECRET: ReadonlySet<ConfigRole> = new Set(['api', 'checker', 'notifier']);
const NEEDS_SCHEDULE_TARGETS: ReadonlySet<ConfigRole> = new Set(['api', 'reconcile']);

/** The generated local secret, under DATA_DIR. */
const LOCAL_SECRET_FILE = 'auth-secret';

/**
 * Reads and validates the environment for a process of the given role (see ConfigRole).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, role: ConfigRole = 'api'): Config {
  // An empty variable (`AUTH_SECRET=`) means unset, as shells and .env files write it.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      'Invalid configuration: ' +
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const e = parsed.data;
  const onLambda = Boolean(e.AWS_LAMBDA_FUNCTION_NAME);
  const strict = onLambda || e.NODE_ENV === 'production';
  const problems: string[] = [];

  const tokenSecrets = tokenSecretsFor(role, e, strict, problems);
  const sealingSecret = sealingSecretFor(role, e, onLambda, strict, problems);

  let scheduler: Config['scheduler'] = { kind: 'local' };
  if (e.SCHEDULER === 'eventbridge') {
    // The checker only ever deletes its own schedule, and its environment cannot name its own ARN
    // without a cycle in the CloudFormation template.
    if (NEEDS_SCHEDULE_TARGETS.has(role)) {
      if (!e.CHECKER_FUNCTION_ARN) problems.push('CHECKER_FUNCTION_ARN: required when SCHEDULER=eventbridge');
      if (!e.SCHEDULER_ROLE_ARN) problems.push('SCHEDULER_ROLE_ARN: required when SCHEDULER=eventbridge');
    }
    scheduler = {
      kind: 'eventbridge',
      group: e.SCHEDULE_GROUP,
      checkerArn: e.CHECKER_FUNCTION_ARN ?? '',
      roleArn: e.SCHEDULER_ROLE_ARN ?? '',
      deadLetterArn: e.SCHEDULE_DLQ_ARN,
    };
  } else if (onLambda) {
    problems.push('SCHEDULER: must be eventbridge on AWS Lambda (in-process timers die with the invocation)');
  }
  const databaseUrl = e.DATABASE_URL ?? `file:${e.DATA_DIR}/vigil.db`;
  if (onLambda && e.TRUST_PROXY) problems.push("TRUST_PROXY: not on AWS Lambda, where API Gateway's source address is the client's");
  if (strict && databaseUrl.startsWith('file:') && onLambda) {
    problems.push('DATABASE_URL: a file database does not survive on AWS Lambda; use libsql://');
  }
  const mail = mailSettings(e, onLambda, problems);
  const sms = smsSettings(e, onLambda, problems);
  const regions = e.CHECK_REGIONS ?? [e.AWS_REGION && REGION_NAME.test(e.AWS_REGION) ? e.AWS_REGION : 'local'];
  if (onLambda && role === 'checker' && regions.length > 1 && !e.PROBE_FUNCTION_NAME) {
    problems.push('PROBE_FUNCTION_NAME: required on AWS Lambda when CHECK_REGIONS names more than one region');
  }
  if (problems.length) throw new ConfigError('Invalid configuration: ' + problems.join('; '));

  return {
    env: e.NODE_ENV,
    onLambda,
    isDev: e.NODE_ENV === 'development' && !onLambda,
    databaseUrl,
    databaseAuthToken: e.DATABASE_AUTH_TOKEN,
    tokenSecrets,
    sealingSecret,
    sealingSecretsPrevious: sealingSecret
      ? (e.SEALING_SECRET_PREVIOUS ?? '').split(',').map((x) => x.trim()).filter(Boolean)
      : [],
    // Locally the README's curl flow sends Origin: http://localhost:$PORT, whatever the port.
    appOrigins: e.APP_ORIGINS ?? ['http://localhost:5173', `http://localhost:${e.PORT}`],
    host: e.HOST,
    port: e.PORT,
    trustProxy: e.TRUST_PROXY,
    dataDir: e.DATA_DIR,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    scheduler,
    checks: e.CHECK_MODE === 'fan-out' ? { mode: 'fan-out', shardSize: e.FANOUT_SHARD_SIZE } : { mode: 'per-monitor' },
    allowPrivateTargets: e.ALLOW_PRIVATE_TARGETS && !onLambda,
    namesSettings: !strict,
    mail,
    sms,
    appUrl: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    requireVerifiedEmail: e.REQUIRE_VERIFIED_EMAIL === undefined ? strict : ['true', '1'].includes(e.REQUIRE_VERIFIED_EMAIL),
    notifyQueueUrl: e.NOTIFY_QUEUE_URL,
    chatWebhookTestHosts:
      e.NODE_ENV === 'test' && !onLambda ? (e.ALERT_TEST_CHAT_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean) : [],
    regions: { home: regions[0]!, all: regions, probeFunctionName: e.PROBE_FUNCTION_NAME },
    telegramApiOrigin: e.NODE_ENV === 'test' && !onLambda && e.ALERT_TEST_TELEGRAM_API ? new URL(e.ALERT_TEST_TELEGRAM_API).origin : 'https://api.telegram.org',
  };
}

function smsSettings(e: z.infer<typeof envSchema>, onLambda: boolean, problems: string[]): SmsSettings {
  const transport = e.SMS_TRANSPORT ?? (onLambda ? 'sns' : 'file');
  if (onLambda && transport !== 'sns') problems.push('SMS_TRANSPORT: must be sns on AWS Lambda');
  return transport === 'sns' ? { transport } : { transport, dir: e.SMS_DIR ?? `${e.DATA_DIR}/sms` };
}

function mailSettings(e: z.infer<typeof envSchema>, onLambda: boolean, problems: string[]): MailSettings {
  const transport = e.MAIL_TRANSPORT ?? (onLambda ? 'ses' : e.SMTP_URL ? 'smtp' : 'file');
  if (onLambda && transport !== 'ses') problems.push('MAIL_TRANSPORT: must be ses on AWS Lambda');
  if (transport === 'smtp') {
    if (!e.SMTP_URL) problems.push('SMTP_URL: required when MAIL_TRANSPORT=smtp');
    return { transport, from: e.MAIL_FROM, url: e.SMTP_URL ?? '' };
  }
  if (transport === 'ses') return { transport, from: e.MAIL_FROM };
  return { transport, from: e.MAIL_FROM, dir: e.MAIL_DIR ?? `${e.DATA_DIR}/mail` };
}

/**
 * Each API gets the secret of the tokens it handles: SESSION_SECRET for the internal API,
 * ACCESS_TOKEN_SECRET for the public API, either falling back to AUTH_SECRET (from which both keys
 * are derived with different labels), and locally to a generated ./data/auth-secret. A local
 * `npm start` runs both APIs as role 'api', so it gets the access secret too when it can.
 */
function tokenSecretsFor(role: ConfigRole, e: z.infer<typeof envSchema>, strict: boolean, problems: string[]): TokenSecrets {
  const local = () => (strict ? undefined : localAuthSecret(e.DATA_DIR));
  const need = (name: 'SESSION_SECRET' | 'ACCESS_TOKEN_SECRET', value: string | undefined) => {
    const found = value ?? e.AUTH_SECRET ?? local();
    if (!found) problems.push(`${name}: required (at least 32 bytes) in production and on AWS Lambda (or AUTH_SECRET, from which every key is derived)`);
    return found;
  };
  if (role === 'api') return { session: need('SESSION_SECRET', e.SESSION_SECRET), access: e.ACCESS_TOKEN_SECRET ?? e.AUTH_SECRET ?? local() };
  if (role === 'public-api') return { session: undefined, access: need('ACCESS_TOKEN_SECRET', e.ACCESS_TOKEN_SECRET) };
  return { session: undefined, access: undefined };
}

/**
 * The internal API (sealing), the notifier and the checker (opening) need SEALING_SECRET. Off Lambda it falls
 * back to AUTH_SECRET and locally to the generated ./data/auth-secret, like the token secrets (the
 * keys are derived with their own HKDF labels); on Lambda only SEALING_SECRET itself will do, so
 * the notifier never holds material a token key is derived from.
 */
function sealingSecretFor(role: ConfigRole, e: z.infer<typeof envSchema>, onLambda: boolean, strict: boolean, problems: string[]): string | undefined {
  if (!NEEDS_SEALING_SECRET.has(role)) return undefined;
  const found = e.SEALING_SECRET ?? (onLambda ? undefined : (e.AUTH_SECRET ?? (strict ? undefined : localAuthSecret(e.DATA_DIR))));
  if (!found) problems.push('SEALING_SECRET: required (at least 32 bytes) on AWS Lambda, and in production unless AUTH_SECRET is set');
  if (e.SEALING_SECRET && [e.SESSION_SECRET, e.ACCESS_TOKEN_SECRET].includes(e.SEALING_SECRET)) {
    problems.push('SEALING_SECRET: must not be a token secret (SESSION_SECRET, ACCESS_TOKEN_SECRET)');
  }
  return found;
}

/** Local development keeps one generated secret so sessions survive restarts of `npm start`. */
function localAuthSecret(dataDir: string): string {
  const file = `${dataDir}/${LOCAL_SECRET_FILE}`;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
