/**
 * A monitor's input fields, one schema each, and the pieces every kind shares: the kinds
 * (./kinds/*.input.ts) build their input schemas from these. Nothing here needs Node, so the app's
 * forms validate with exactly these schemas.
 */
import * as z from 'zod';
import { alertContactIdsInput } from '../alerts/contact-ids.js';
import { MONITOR_METHODS, type MONITOR_KINDS } from '../domain/monitor-kinds.js';
import { MAX_INTERVAL_SECONDS } from '../domain/plans.js';
import { REGION_NAME } from '../domain/regions.js';
import { parseStatusCodes } from '../domain/status-codes.js';

export const MAX_HEADERS = 20;
export const MAX_BODY_BYTES = 8 * 1024;
export const MAX_TAGS = 10;

/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection, not to the monitor; Host is ours to set. */
const REFUSED_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

export const requestHeaders = z
  .record(z.string(), z.string().max(1024, 'header values must be at most 1024 characters'))
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_HEADERS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_HEADERS} headers` });
    const seen = new Set<string>();
    for (const name of names) {
      const lower = name.toLowerCase();
      if (!TOKEN.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'is not a valid header name' });
      else if (REFUSED_HEADERS.has(lower)) ctx.addIssue({ code: 'custom', path: [name], message: `${name} is set by Vigil and cannot be overridden` });
      else if (lower === 'authorization') ctx.addIssue({ code: 'custom', path: [name], message: 'use auth (stored encrypted) instead of an Authorization header' });
      else if (seen.has(lower)) ctx.addIssue({ code: 'custom', path: [name], message: 'is listed twice' });
      if (/[\r\n\0]/.test(headers[name]!)) ctx.addIssue({ code: 'custom', path: [name], message: 'must not contain line breaks' });
      seen.add(lower);
    }
  })
  .meta({ description: `Extra request headers, at most ${MAX_HEADERS}; hop-by-hop headers, Host and Authorization are refused` });

export const requestBody = z
  .string()
  .refine((b) => new TextEncoder().encode(b).length <= MAX_BODY_BYTES, `must be at most ${MAX_BODY_BYTES} bytes`)
  .nullable()
  .meta({ description: 'Request body, sent with POST only (8 KiB at most)' });

export const authInput = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('basic'), username: z.string().min(1).max(200), password: z.string().max(500) }),
    z.strictObject({ type: z.literal('bearer'), token: z.string().min(1).max(4096) }),
  ])
  .nullable()
  .meta({ description: 'Credentials for the target, stored encrypted and never returned (only { type, set: true })' });
export type AuthInput = z.infer<typeof authInput>;

export const tags = z
  .array(
    z
      .string()
      .trim()
      .min(1, 'tags must not be empty')
      .max(32, 'tags must be at most 32 characters')
      .transform((t) => t.toLowerCase()),
  )
  .max(MAX_TAGS, `at most ${MAX_TAGS} tags`)
  .transform((list) => [...new Set(list)]);

export const tcpHost = z
  .string()
  .trim()
  .min(1, 'host is required')
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a hostname or an IP address');
export const tcpPort = z.number().int().min(1).max(65_535);

export const degradedAboveMs = z.number().int().min(1).max(30_000).nullable();
export const graceSeconds = z.number().int().min(0).max(86_400);
export const keywordMode = z.enum(['present', 'absent']);

export const monitorUrl = z
  .string()
  .trim()
  .min(1, 'url is required')
  .max(2048, 'url must be at most 2048 characters')
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL, e.g. https://example.com/health' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must use http or https' });
    } else if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not contain credentials (user:password@)' });
    } else if (!url.hostname) {
      ctx.addIssue({ code: 'custom', message: 'must name a host' });
    }
  });

export const expectedStatusCodes = z
  .union([z.string().max(200), z.array(z.union([z.number().int(), z.string().max(20)])).max(20)])
  .transform((value, ctx) => {
    const text = Array.isArray(value) ? value.join(',') : value;
    const parsed = parseStatusCodes(text);
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed.normalised;
  })
  .meta({ description: 'Expected status codes: codes and ranges, e.g. "200-299,301" or [200, "300-399"]' });

export const intervalSeconds = z
  .number()
  .int('must be a whole number of seconds')
  .min(60, 'must be at least 60')
  .max(MAX_INTERVAL_SECONDS, `must be at most ${MAX_INTERVAL_SECONDS} (one day)`)
  .refine((v) => v % 60 === 0, 'must be a multiple of 60');

/** The regions a monitor is checked from: a subset of the deployment's (CHECK_REGIONS), home among them; the plan sets how many. */
export const regions = z
  .array(z.string().regex(REGION_NAME, 'each region must look like eu-west-1'))
  .min(1, 'at least one region (the home region)')
  .max(40, 'at most 40 regions')
  .transform((list) => [...new Set(list)])
  .meta({ description: 'Regions the monitor is checked from, home among them (account.get lists them); the plan sets how many' });

/** Failing regions that make the monitor down; null: a majority of its regions. */
export const failureQuorum = z
  .number()
  .int('must be a whole number of regions')
  .min(1, 'must be at least 1')
  .nullable()
  .meta({ description: 'How many regions must fail for the monitor to be down; null: a majority. Fewer failing regions show it degraded, and page no one' });

export const monitorName = z.string().trim().min(1, 'name is required').max(100, 'name must be at most 100 characters');
export const method = z.enum(MONITOR_METHODS);
export const timeoutMs = z.number().int().min(1000, 'must be at least 1000').max(30_000, 'must be at most 30000');
export const keyword = z.string().min(1).max(200, 'keyword must be at most 200 characters').nullable();
export const DEFAULT_TIMEOUT_MS = 10_000;

/** The longest an alert may be held, and the bounds of a reminder's period (src/alerts/reminders.ts). */
export const MAX_ALERT_AFTER_SECONDS = 86_400;
export const MIN_REMIND_EVERY_SECONDS = 300;
export const MAX_REMIND_EVERY_SECONDS = 86_400;

export const alertAfterSeconds = z
  .number()
  .int('must be a whole number of seconds')
  .min(0, 'must be at least 0')
  .max(MAX_ALERT_AFTER_SECONDS, `must be at most ${MAX_ALERT_AFTER_SECONDS} (one day)`)
  .meta({ description: 'Alert only when an incident has lasted this long; one that ends sooner alerts no one, neither down nor up. 0: at once' });

export const remindEverySeconds = z
  .number()
  .int('must be a whole number of seconds')
  .min(MIN_REMIND_EVERY_SECONDS, `must be at least ${MIN_REMIND_EVERY_SECONDS} (five minutes)`)
  .max(MAX_REMIND_EVERY_SECONDS, `must be at most ${MAX_REMIND_EVERY_SECONDS} (one day)`)
  .nullable()
  .meta({ description: 'While an incident stays open, send monitor.down again this often; null: never' });

/** What every monitor has, whatever its kind; on create, with the value an omitted field takes. */
export const commonCreateFields = {
  name: monitorName,
  /** Defaults to the plan's shortest interval. */
  intervalSeconds: intervalSeconds.optional(),
  paused: z.boolean().default(false),
  tags: tags.default([]),
  /** Omitted: every contact of the account. */
  alertContactIds: alertContactIdsInput.optional(),
  alertAfterSeconds: alertAfterSeconds.default(0),
  remindEverySeconds: remindEverySeconds.default(null),
  /** Omitted: home only. */
  regions: regions.optional(),
  /** Omitted: a majority of its regions. */
  failureQuorum: failureQuorum.optional(),
};

/** The same fields on update: each one omitted is kept. */
export const commonChangeFields = {
  name: monitorName.optional(),
  intervalSeconds: intervalSeconds.optional(),
  paused: z.boolean().optional(),
  tags: tags.optional(),
  alertContactIds: alertContactIdsInput.optional(),
  alertAfterSeconds: alertAfterSeconds.optional(),
  remindEverySeconds: remindEverySeconds.optional(),
  regions: regions.optional(),
  failureQuorum: failureQuorum.optional(),
};

type Kind = (typeof MONITOR_KINDS)[number];
type Shape = Record<string, z.ZodType>;

/** Every field some kind has: a key one kind lacks but another has is "not this kind's", not a typo. */
const kindFields = new Set<string>();

/**
 * One kind's create input: its `kind`, the common fields and its own, nothing else. A field of
 * another kind is refused naming it ("tcp monitors have no url"); any other unknown key gets the
 * doors' unknown-field message (src/http/input-messages.ts, which suggests the nearest field).
 */
export function kindInput<K extends Kind, D extends z.ZodType<K, K | undefined> | z.ZodLiteral<K>, S extends Shape>(kind: K, discriminator: D, shape: S) {
  for (const key of Object.keys(shape)) kindFields.add(key);
  return kindObject(kind, { kind: discriminator, ...commonCreateFields, ...shape });
}

/** A strict object of one kind's fields, refusing another kind's field by name. */
export function kindObject<K extends Kind, S extends Shape>(kind: K, shape: S) {
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? misplacedField(kind, issue.keys) : undefined) });
}

function misplacedField(kind: Kind, keys: readonly string[]): string | undefined {
  return keys.length === 1 && kindFields.has(keys[0]!) ? notOfKind(kind, keys[0]!) : undefined;
}

/** A kind's fields as an update takes them: each optional, no defaults (omitted means unchanged). */
export function changeFields<S extends Shape>(shape: S): { [K in keyof S]: z.ZodOptional<S[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.optional()])) as { [K in keyof S]: z.ZodOptional<S[K]> };
}

/** The update's refusal of a field the monitor's kind does not have, worded as the create's. */
export function notOfKind(kind: Kind, field: string): string {
  return `${kind} monitors have no ${field}`;
}
