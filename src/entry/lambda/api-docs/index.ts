import { handle } from 'hono/aws-lambda';
import { loadConfig } from '../../../config.js';
import { createAppShell } from '../../../http/app-shell.js';
import { createLogger } from '../../../log.js';
import { mountPublicDocs } from '../../../public/docs.js';

/**
 * The partners' docs (GET /api/v1/docs, its Swagger UI assets, /api/v1/openapi.json): static, open,
 * no database and no secret, so the public API's function carries none of it. Its config is the
 * worker's, but it never opens the database: it is given no database token.
 */
const config = loadConfig(process.env, 'worker');
const svc = { config, log: createLogger() };

export const handler = handle(createAppShell(svc, [mountPublicDocs]));
