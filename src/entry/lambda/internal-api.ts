import { handle } from 'hono/aws-lambda';
import { buildApiServices } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';
import { createAppShell } from '../../http/app-shell.js';
import { mountHealth } from '../../http/healthz.js';
import { mountInternal } from '../../internal/mount.js';
import { withSecrets } from './secrets.js';

// Built once per Lambda instance and reused by every invocation it serves.
const svc = await buildApiServices(loadConfig(await withSecrets(process.env), 'api'));

/** The SPA's API (/internal, /auth) behind API Gateway HTTP API (payload v2). */
export const handler = handle(createAppShell(svc, [mountHealth, mountInternal]));
