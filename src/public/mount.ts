import type { Hono } from 'hono';
import type { Services } from '../services.js';

/** Mounts the partners' API: POST /oauth/token and the REST routes under /api/v1. */
export function mountPublic(_app: Hono, _svc: Services): void {}
