import * as z from 'zod';
import { monitorId } from '../monitors/schemas.js';

/**
 * Words a slug may not be: our own paths and names a visitor could mistake for ours
 * (/status/api, /status/admin…), and `assets`, which the page's stylesheet lives under.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'api', 'internal', 'oauth', 'admin', 'administrator', 'status', 'assets', 'static', 'auth', 'login',
  'logout', 'register', 'signup', 'signin', 'account', 'accounts', 'app', 'www', 'docs', 'help',
  'support', 'billing', 'vigil', 'root', 'system', 'security', 'feed', 'badge', 'health', 'monitors',
]);

export const MAX_MONITORS_PER_PAGE = 100;

export const statusPageSlug = z
  .string()
  .regex(/^[a-z0-9-]{3,40}$/, 'must be 3 to 40 characters of a-z, 0-9 and -')
  .refine((s) => !RESERVED_SLUGS.has(s), 'is reserved; choose another');

const origin = z.string().refine((o) => {
  try {
    const u = new URL(o);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === o;
  } catch {
    return false;
  }
}, 'must be an origin like https://www.example.com (scheme and host, no path)');

const pageMonitor = z.strictObject({
  monitorId,
  /** Shown instead of the monitor's name; the monitor's name by default. */
  displayName: z.string().trim().min(1).max(100, 'displayName must be at most 100 characters').nullish(),
});

const pageMonitors = z
  .array(pageMonitor)
  .max(MAX_MONITORS_PER_PAGE, `a page shows at most ${MAX_MONITORS_PER_PAGE} monitors`)
  .refine((list) => new Set(list.map((m) => m.monitorId)).size === list.length, 'each monitor may appear once');

const fields = {
  slug: statusPageSlug,
  title: z.string().trim().min(1, 'title is required').max(100, 'title must be at most 100 characters'),
  description: z.string().trim().max(500, 'description must be at most 500 characters').nullable(),
  /** Opt-in: show each monitor's URL on the page. */
  showUrls: z.boolean(),
  /** Opt-in: show why a monitor is down and why each incident happened. */
  showReasons: z.boolean(),
  /** Origins allowed to embed the page in a frame (CSP frame-ancestors); none by default. */
  frameAncestors: z.array(origin).max(10, 'at most 10 origins'),
  monitors: pageMonitors,
};

export const createStatusPageInput = z.strictObject({
  slug: fields.slug,
  title: fields.title,
  description: fields.description.optional(),
  showUrls: fields.showUrls.default(false),
  showReasons: fields.showReasons.default(false),
  frameAncestors: fields.frameAncestors.default([]),
  monitors: fields.monitors,
});
export type CreateStatusPageInput = z.infer<typeof createStatusPageInput>;

export const statusPageId = z.string().regex(/^stp_[a-z0-9]{1,64}$/, 'must be a status page id (stp_…)');

/** Every field but the id is optional; `monitors`, when given, replaces the whole list. */
export const updateStatusPageInput = z.strictObject({
  id: statusPageId,
  slug: fields.slug.optional(),
  title: fields.title.optional(),
  description: fields.description.optional(),
  showUrls: fields.showUrls.optional(),
  showReasons: fields.showReasons.optional(),
  frameAncestors: fields.frameAncestors.optional(),
  monitors: fields.monitors.optional(),
});
export type UpdateStatusPageInput = z.infer<typeof updateStatusPageInput>;
export type PageMonitorInput = z.infer<typeof pageMonitor>;

export const statusPageOutput = z.object({
  id: z.string(),
  slug: z.string(),
  /** The public address of the page. */
  url: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  showUrls: z.boolean(),
  showReasons: z.boolean(),
  frameAncestors: z.array(z.string()),
  monitors: z.array(z.object({ monitorId: z.string(), displayName: z.string().nullable() })),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type StatusPageOutput = z.infer<typeof statusPageOutput>;
