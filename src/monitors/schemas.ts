import * as z from 'zod';
import { alertContactIdsInput } from '../alerts/schemas.js';
import { MONITOR_KINDS, MONITOR_METHODS } from '../db/schema.js';
import { idInput } from '../domain/id-input.js';
import { MAX_INTERVAL_SECONDS } from '../domain/plans.js';
import { parseStatusCodes } from '../domain/status-codes.js';
import * as depth from './request-settings.js';

export const monitorId = idInput('mon', 'monitor');

const monitorUrl = z
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

const statusCodes = z
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

const intervalSeconds = z
  .number()
  .int('must be a whole number of seconds')
  .min(60, 'must be at least 60')
  .max(MAX_INTERVAL_SECONDS, `must be at most ${MAX_INTERVAL_SECONDS} (one day)`)
  .refine((v) => v % 60 === 0, 'must be a multiple of 60');

const fields = {
  name: z.string().trim().min(1, 'name is required').max(100, 'name must be at most 100 characters'),
  url: monitorUrl,
  method: z.enum(MONITOR_METHODS),
  intervalSeconds,
  timeoutMs: z.number().int().min(1000, 'must be at least 1000').max(30_000, 'must be at most 30000'),
  expectedStatusCodes: statusCodes,
  keyword: z.string().min(1).max(200, 'keyword must be at most 200 characters').nullable(),
  paused: z.boolean(),
  alertContactIds: alertContactIdsInput,
};

/** issue 18: settings of the new kinds and of HTTP requests (src/monitors/request-settings.ts). */
const depthFields = {
  host: depth.tcpHost,
  port: depth.tcpPort,
  headers: depth.requestHeaders,
  body: depth.requestBody,
  auth: depth.authInput,
  keywordMode: depth.keywordMode,
  keywordCaseSensitive: z.boolean(),
  degradedAboveMs: depth.degradedAboveMs,
  tags: depth.tags,
  graceSeconds: depth.graceSeconds,
};

export const createMonitorInput = z
  .strictObject({
    /** issue 18: http (default), tcp (host + port) or heartbeat (pinged by the job it watches). */
    kind: z.enum(MONITOR_KINDS).default('http'),
    name: fields.name,
    /** Required for http monitors. */
    url: fields.url.optional(),
    method: fields.method.default('GET'),
    /** Defaults to the plan's shortest interval. */
    intervalSeconds: fields.intervalSeconds.optional(),
    timeoutMs: fields.timeoutMs.default(10_000),
    expectedStatusCodes: fields.expectedStatusCodes.optional(),
    keyword: fields.keyword.optional(),
    paused: fields.paused.default(false),
    host: depthFields.host.optional(),
    port: depthFields.port.optional(),
    headers: depthFields.headers.optional(),
    body: depthFields.body.optional(),
    auth: depthFields.auth.optional(),
    keywordMode: depthFields.keywordMode.default('present'),
    keywordCaseSensitive: depthFields.keywordCaseSensitive.default(false),
    degradedAboveMs: depthFields.degradedAboveMs.optional(),
    tags: depthFields.tags.default([]),
    graceSeconds: depthFields.graceSeconds.optional(),
    /** Omitted: every contact of the account. */
    alertContactIds: fields.alertContactIds.optional(),
  })
  .superRefine((m, ctx) => {
    const need = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (m.kind === 'http' && m.url === undefined) need('url', 'url is required for an http monitor');
    if (m.kind === 'tcp') {
      if (m.host === undefined) need('host', 'host is required for a tcp monitor');
      if (m.port === undefined) need('port', 'port is required for a tcp monitor');
    }
    if (m.kind !== 'http') {
      for (const key of ['url', 'headers', 'body', 'auth', 'keyword'] as const) {
        if (m[key] !== undefined && m[key] !== null) need(key, `only http monitors have ${key}`);
      }
    }
    if (m.kind !== 'tcp' && (m.host !== undefined || m.port !== undefined)) need('host', 'only tcp monitors have host and port');
    if (m.kind !== 'heartbeat' && m.graceSeconds !== undefined) need('graceSeconds', 'only heartbeat monitors have graceSeconds');
  });
export type CreateMonitorInput = z.infer<typeof createMonitorInput>;

export const updateMonitorInput = z.strictObject({
  id: monitorId,
  name: fields.name.optional(),
  url: fields.url.optional(),
  method: fields.method.optional(),
  intervalSeconds: fields.intervalSeconds.optional(),
  timeoutMs: fields.timeoutMs.optional(),
  expectedStatusCodes: fields.expectedStatusCodes.optional(),
  keyword: fields.keyword.optional(),
  paused: fields.paused.optional(),
  host: depthFields.host.optional(),
  port: depthFields.port.optional(),
  headers: depthFields.headers.optional(),
  body: depthFields.body.optional(),
  /** null removes the credentials; omitted keeps them. */
  auth: depthFields.auth.optional(),
  keywordMode: depthFields.keywordMode.optional(),
  keywordCaseSensitive: depthFields.keywordCaseSensitive.optional(),
  degradedAboveMs: depthFields.degradedAboveMs.optional(),
  tags: depthFields.tags.optional(),
  graceSeconds: depthFields.graceSeconds.optional(),
  alertContactIds: fields.alertContactIds.optional(),
});
export type UpdateMonitorInput = z.infer<typeof updateMonitorInput>;
