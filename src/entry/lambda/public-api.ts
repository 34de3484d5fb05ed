import { handle } from 'hono/aws-lambda';
import { createApp } from '../../app.js';
import { buildServices } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';

const svc = await buildServices(loadConfig(process.env, 'public-api'));

/** The partners' API (/api/v1, /oauth/token) behind API Gateway HTTP API (payload v2). */
export const handler = handle(createApp(svc, { public: true }));
