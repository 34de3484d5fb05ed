import { z } from 'zod';
import { alertContactIdsInput } from '../alerts/schemas.js';
import { MONITOR_METHODS } from '../db/schema.js';
import { MAX_INTERVAL_SECONDS } from '../domain/plans.js';
import { parseStatusCodes } from '../domain/status-codes.js';

export const monitorId = z.string().regex(/^mon_[a-z0-9]{1,64}$/, 'must be a monitor id (mon_…)');

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

export const createMonitorInput = z.object({
  name: fields.name,
  url: fields.url,
  method: fields.method.default('GET'),
  /** Defaults to the plan's shortest interval. */
  intervalSeconds: fields.intervalSeconds.optional(),
  timeoutMs: fields.timeoutMs.default(10_000),
  expectedStatusCodes: fields.expectedStatusCodes.optional(),
  keyword: fields.keyword.optional(),
  paused: fields.paused.default(false),
  /** Omitted: every contact of the account. */
  alertContactIds: fields.alertContactIds.optional(),
});
export type CreateMonitorInput = z.infer<typeof createMonitorInput>;

export const updateMonitorInput = z.object({
  id: monitorId,
  name: fields.name.optional(),
  url: fields.url.optional(),
  method: fields.method.optional(),
  intervalSeconds: fields.intervalSeconds.optional(),
  timeoutMs: fields.timeoutMs.optional(),
  expectedStatusCodes: fields.expectedStatusCodes.optional(),
  keyword: fields.keyword.optional(),
  paused: fields.paused.optional(),
  alertContactIds: fields.alertContactIds.optional(),
});
export type UpdateMonitorInput = z.infer<typeof updateMonitorInput>;
