import type { Hono } from 'hono';
import { pingTransition } from './checker/ping-transition.js';
import { mountPing } from './heartbeat/route.js';
import { createAppShell, type Mount } from './http/app-shell.js';
import { trustProxyHeader } from './http/client-ip.js';
import { mountHealth } from './http/healthz.js';
import { mountInternal } from './internal/mount.js';
import { mountPublicDocs } from './public/docs.js';
import { mountPublic } from './public/mount.js';
import type { ApiServices } from './services.js';
import { mountStatusPages } from './status-pages/routes.js';
import { compressAppReads, mountWebApp } from './http/web-app.js';

export type AppParts = {
  /** The SPA's API: tRPC at /internal and the REST /auth routes. */
  internal?: boolean;
  /** The partners' API: /api/v1 and /oauth/token. */
  public?: boolean;
  /** The public status pages and badges under /status (read-only, unauthenticated; need no keys). */
  statusPages?: boolean;
  /** The built web app's folder (web/dist), served at `/` by `npm start`; on AWS CloudFront serves it. */
  webApp?: string;
};

/**
 * The one HTTP app, served by `@hono/node-server` locally (both APIs) and by `hono/aws-lambda` on
 * Lambda, where each API's function mounts only its own part (src/entry/lambda/; the status pages'
 * function mounts mountStatusPages on plain Services, without keys).
 */
export function createApp(svc: ApiServices, parts: AppParts = { internal: true, public: true, statusPages: true }): Hono {
  // The health check and the heartbeat ping route (on Lambda: internalApi and ping).
  const mounts: Mount[] = [mountHealth, (root, s) => mountPing(root, s, pingTransition)];
  // Browsers served directly by `npm start` get the app's reads gzipped (on AWS CloudFront gzips the app's
  // files; its API behaviours pass answers through as the Lambda wrote them).
  if (parts.webApp) mounts.push(compressAppReads);
  if (parts.internal) mounts.push(mountInternal);
  // The docs first: their routes are open, the rest of /api/v1 needs a token.
  if (parts.public) mounts.push(mountPublicDocs, mountPublic);
  if (parts.statusPages) mounts.push(mountStatusPages);
  if (parts.webApp) mounts.push(mountWebApp(parts.webApp));
  // Behind a reverse proxy (npm start, the container image): the header it sets, if TRUST_PROXY says so.
  const trustProxy: Mount = (root) => void root.use('*', trustProxyHeader(svc.config.trustProxy));
  return createAppShell(svc, [trustProxy, ...mounts]);
}
