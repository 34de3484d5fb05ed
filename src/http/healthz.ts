import type { Hono } from 'hono';
import { DATABASE_RETRY_AFTER_SECONDS } from '../db/unavailable.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';

/**
 * GET /healthz: unauthenticated and cheap, one `select 1`. 200 when the database
 * answers, 503 with Retry-After otherwise; never any detail a stranger could use.
 */
export function mountHealth(app: Hono, svc: Pick<Services, 'db' | 'log'>): void {
  app.get('/healthz', async (c) => {
    try {
      await svc.db.$client.execute('select 1');
      return c.json({ status: 'ok' }, 200);
    } catch (error) {
      svc.log.error('healthz.database_unavailable', describeError(error));
      return c.json({ status: 'unavailable' }, 503, { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) });
    }
  });
}
