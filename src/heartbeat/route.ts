import { Hono, type Context } from 'hono';
import { hitWindow, judgeHit } from '../db/rate-limit.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/unavailable.js';
import { limitBody } from '../http/body-limit.js';
import { clientIp } from '../http/client-ip.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { hashPingToken, PING_TOKEN_PATTERN } from './token.js';

/** Per token: a cron job pings about once per run; more than this is a loop gone wrong or abuse. */
export const PING_RATE_LIMIT = 30;
export const PING_RATE_WINDOW_MS = 60_000;
/**
 * Per client address, for tokens that name no heartbeat: one shared window, never a row per made-up
 * token (a stranger's random tokens would otherwise each write one). A real token is not counted here.
 */
export const UNKNOWN_PING_LIMIT = 60;

/**
 * What the ping route needs: the database, and the alert queue that wakes the notifier after a ping
 * changed the state; no scheduler, no keys, no mailer (the ping Lambda loads none of them).
 */
export type PingServices = Pick<Services, 'db' | 'log' | 'now' | 'alerts'>;

/**
 * A ping's effect on the heartbeat's state (src/checker/ping-transition.ts), handed in by the entry
 * point: recording goes through the checker, which sits above this folder.
 */
export type PingTransition = {
  mayChange: (m: { id: string; status: string; paused: boolean }, failed: boolean) => boolean;
  record: (svc: PingServices, monitorId: string, failed: boolean, at: number) => Promise<unknown>;
};

/**
 * GET, HEAD or POST /ping/{token} records a ping; /ping/{token}/fail an explicit failure. One
 * batch counts the hit against the token's rate window (only if the token names a heartbeat) and,
 * when under the limit, stamps that heartbeat; a ping that changes nothing (up, pinged again) ends
 * there, in one database round trip. An unknown token is counted against its address's window
 * (UNKNOWN_PING_LIMIT) and answered 404, or 429 past it. A ping that turns the heartbeat up (or
 * /fail, down) records that change before answering (the transition). Lateness is the schedule's
 * to decide (src/heartbeat/evaluate.ts).
 */
export function mountPing(root: Hono, svc: PingServices, transition: PingTransition): void {
  root.route('/ping', pingDoor(svc, transition));
}

/**
 * The ping door, a sub-app like every door: plain-text answers (cron jobs read them with curl), its
 * own errors (a database that is down is a 503 with Retry-After, anything else a bare 500), its own
 * 404 and the shared body limit (a ping's body is never read).
 */
function pingDoor(svc: PingServices, transition: PingTransition): Hono {
  const door = new Hono();
  door.onError((error, c) => {
    if (isDatabaseUnavailable(error)) {
      svc.log.error('database.unavailable', { where: 'ping', ...describeError(error) });
      return c.text('temporarily unavailable\n', 503, { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) });
    }
    svc.log.error('request.failed', { where: 'ping', ...describeError(error) });
    return c.text('internal error\n', 500);
  });
  door.use('*', limitBody((c) => c.text('payload too large\n', 413)));
  const handle = (failed: boolean) => async (c: Context) => {
    const token = c.req.param('token') ?? '';
    if (!PING_TOKEN_PATTERN.test(token)) return c.text('not found\n', 404);
    const hash = hashPingToken(token);
    const now = svc.now();
    const key = `ping:${hash}`;
    const [hit, stamp] = await svc.db.$client.batch(
      [
        {
          sql: `INSERT INTO rate_limits (key, count, reset_at)
                SELECT ?, 1, ? WHERE EXISTS (SELECT 1 FROM monitors WHERE ping_token_hash = ? AND kind = 'heartbeat')
                ON CONFLICT (key) DO UPDATE SET
                  count = CASE WHEN rate_limits.reset_at <= ? THEN 1 ELSE rate_limits.count + 1 END,
                  reset_at = CASE WHEN rate_limits.reset_at <= ? THEN excluded.reset_at ELSE rate_limits.reset_at END
                RETURNING count, reset_at`,
          args: [key, now + PING_RATE_WINDOW_MS, hash, now, now],
        },
        {
          sql: `UPDATE monitors SET last_ping_at = ?, last_ping_ok = ?
                WHERE ping_token_hash = ? AND kind = 'heartbeat'
                  AND (SELECT count FROM rate_limits WHERE key = ?) <= ?
                RETURNING id, status, paused`,
          args: [now, failed ? 0 : 1, hash, key, PING_RATE_LIMIT],
        },
      ],
      'write',
    );
    const counted = hit?.rows[0];
    if (!counted) return unknownToken(c);
    const window = judgeHit({ count: Number(counted.count), resetAt: Number(counted.reset_at) }, PING_RATE_LIMIT, now);
    if (!window.allowed) return tooMany(c, window.retryAfterSeconds);
    if (!stamp?.rows.length) return c.text('not found\n', 404);
    const row = stamp.rows[0]!;
    const monitor = { id: String(row.id), status: String(row.status), paused: Boolean(row.paused) };
    svc.log.info('heartbeat.ping', { monitorId: monitor.id, failed });
    if (transition.mayChange(monitor, failed)) await transition.record(svc, monitor.id, failed, now);
    return c.text('OK\n', 200);
  };
  const tooMany = (c: Context, seconds: number) => c.text('too many pings\n', 429, { 'Retry-After': String(seconds) });
  const unknownToken = async (c: Context) => {
    const strangers = await hitWindow(svc.db, `ping-unknown:${clientIp(c)}`, UNKNOWN_PING_LIMIT, PING_RATE_WINDOW_MS, svc.now());
    return strangers.allowed ? c.text('not found\n', 404) : tooMany(c, strangers.retryAfterSeconds);
  };
  door.on(['GET', 'HEAD', 'POST'], '/:token', handle(false));
  door.on(['GET', 'HEAD', 'POST'], '/:token/fail', handle(true));
  door.all('*', (c) => c.text('not found\n', 404));
  return door;
}
