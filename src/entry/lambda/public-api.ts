import { handle } from 'hono/aws-lambda';
import { buildApiServices } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';
import { createAppShell } from '../../http/app-shell.js';
import { mountPublic } from '../../public/mount.js';
import { withSecrets } from './secrets.js';

const svc = await buildApiServices(loadConfig(await withSecrets(process.env), 'public-api'));

/** The partners' API (/api/v1, /oauth/token) behind API Gateway HTTP API (payload v2). */
export const handler = handle(createAppShell(svc, [mountPublic]));
