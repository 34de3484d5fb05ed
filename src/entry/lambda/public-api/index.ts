import { handle } from 'hono/aws-lambda';
import { composeApiServices } from '../../../compose.js';
import { loadConfig } from '../../../config.js';
import { createAppShell } from '../../../http/app-shell.js';
import { mountPublic } from '../../../public/mount.js';
import { withSecrets } from '../secrets.js';

// Read-only: no scheduler, no mail, no alerts (each refuses if ever called).
const svc = await composeApiServices(loadConfig(await withSecrets(process.env), 'public-api'), {});

/** The partners' API (/api/v1, /oauth/token) behind API Gateway HTTP API (payload v2). */
export const handler = handle(createAppShell(svc, [mountPublic]));
