import type { Hono } from 'hono';
import { createAppShell, type Mount } from './http/app-shell.js';
import { mountInternal } from './internal/mount.js';
import { mountPublic } from './public/mount.js';
import type { Services } from './services.js';
import { mountStatusPages } from './status-pages/routes.js';

export { MAX_BODY_BYTES } from './http/app-shell.js';

export type AppParts = {
  /** The SPA's API: tRPC at /internal and the REST /auth routes. */
  internal?: boolean;
  /** The partners' API: /api/v1 and /oauth/token. */
  public?: boolean;
  /** The public status pages and badges under /status (read-only, unauthenticated). */
  statusPages?: boolean;
};

/**
 * The one HTTP app, served by `@hono/node-server` locally (both APIs) and by `hono/aws-lambda` on
 * Lambda, where each API's function mounts only its own part (src/entry/lambda/).
 */
export function createApp(svc: Services, parts: AppParts = { internal: true, public: true, statusPages: true }): Hono {
  const mounts: Mount[] = [];
  if (parts.internal) mounts.push(mountInternal);
  if (parts.public) mounts.push(mountPublic);
  if (parts.statusPages) mounts.push(mountStatusPages);
  return createAppShell(svc, mounts);
}
