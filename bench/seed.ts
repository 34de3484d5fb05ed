import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { setPlanByEmail } from '../src/accounts/service.js';
import type { PlanName } from '../src/domain/plans.js';
import type { Services } from '../src/services.js';
import { ORIGIN } from './lib.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type SeededUser = { email: string; accountId: string; userId: string; cookie: string };

/** Registers and signs in through the real /auth routes (in-process, no socket) and returns the session cookie. */
export async function registerUser(app: Hono, svc: Services, email: string, plan: PlanName = 'team'): Promise<SeededUser> {
  const post = (path: string) =>
    app.fetch(
      new Request(`http://vigil.test/auth/${path}`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'correct horse battery' }),
      }),
    );
  const reg = await post('register');
  if (reg.status !== 202) throw new Error(`register ${email}: ${reg.status} ${await reg.text()}`);
  // The mailed confirmation link is not what is measured: confirm the address as opening it would.
  await svc.db.$client.execute({ sql: 'UPDATE users SET email_verified_at = ? WHERE email = ?', args: [Date.now(), email] });
  const res = await post('login');
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string; accountId: string } };
  const line = res.headers.getSetCookie().find((c) => c.startsWith('vigil_session='));
  if (!line) throw new Error('login: no session cookie');
  if (plan !== 'free') await setPlanByEmail(svc, email, plan);
  return { email, accountId: body.user.accountId, userId: body.user.id, cookie: line.split(';')[0]! };
}

/** Creates an OAuth client through tRPC and exchanges it for a bearer access token (15 min). */
export async function bearerToken(app: Hono, cookie: string): Promise<string> {
  const created = await app.fetch(
    new Request('http://vigil.test/internal/oauthClients.create', {
      method: 'POST',
      headers: { origin: ORIGIN, cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    }),
  );
  if (!created.ok) throw new Error(`oauthClients.create: ${created.status} ${await created.text()}`);
  const { clientId, clientSecret } = ((await created.json()) as { result: { data: { clientId: string; clientSecret: string } } }).result.data;
  const res = await app.fetch(
    new Request('http://vigil.test/oauth/token', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    }),
  );
  if (!res.ok) throw new Error(`oauth/token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * `n` monitor ids in newId's shape (`mon_` + 24 of [a-z0-9]) from one buffer of random bytes:
 * newId draws each id on its own, about 0.6 ms apiece here, which is ten minutes for a million.
 * (A byte mod 36 slightly favours four characters: immaterial to a bench's shard sizes.)
 */
function monitorIds(n: number): string[] {
  const bytes = randomBytes(n * 24);
  return Array.from({ length: n }, (_, i) => {
    let id = 'mon_';
    for (let k = 0; k < 24; k++) id += ID_CHARS[bytes[i * 24 + k]! % 36];
    return id;
  });
}

/**
 * Runs `seed` with the `monitors` table's triggers (the change feed's, ADR 0012) dropped, then puts
 * them back as they were: a bench that needs a million monitors in place measures what it runs on
 * them, not the feed's bookkeeping of their creation, which triples every insert.
 */
export async function withoutMonitorTriggers<T>(svc: Services, seed: () => Promise<T>): Promise<T> {
  const { rows } = await svc.db.$client.execute(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'monitors'`);
  const triggers = rows.map((r) => ({ name: String(r.name), sql: String(r.sql) }));
  await svc.db.$client.batch(triggers.map((t) => `DROP TRIGGER "${t.name}"`), 'write');
  try {
    return await seed();
  } finally {
    await svc.db.$client.batch(triggers.map((t) => t.sql), 'write');
  }
}

/**
 * Inserts monitors straight into the table (the plan limit and the scheduler are not what is being
 * measured), `createdAt` one second apart so the list order is stable. Returns their ids in order.
 */
export async function insertMonitors(
  svc: Services,
  accountId: string,
  n: number,
  opts: {
    url?: string;
    intervalSeconds?: number;
    now: number;
    status?: 'pending' | 'up';
    /** When the i-th monitor was last checked (ms) if up; 30 s before `now` for all by default. */
    lastCheckedAt?: (i: number) => number;
  },
): Promise<string[]> {
  const ids = monitorIds(n);
  const status = opts.status ?? 'up';
  // One INSERT … SELECT over a JSON array per chunk: a million monitors take seconds, not an hour.
  for (let i = 0; i < n; i += 5_000) {
    const chunk = ids.slice(i, i + 5_000).map((id, j) => ({
      id,
      name: `Monitor ${i + j + 1}`,
      url: opts.url ?? `https://site-${i + j + 1}.example.com/health`,
      created: opts.now - 90 * DAY + (i + j) * 1000,
      // An up monitor's last check is its newest check row.
      checkedAt: opts.lastCheckedAt?.(i + j) ?? opts.now - 30_000,
    }));
    const rows = JSON.stringify(chunk);
    await svc.db.$client.batch(
      [
        {
          sql: `INSERT INTO monitors (id, account_id, name, url, method, interval_seconds, timeout_ms, expected_status_codes,
                  paused, status, status_since, created_at, updated_at)
                SELECT j.value ->> 'id', ?, j.value ->> 'name', j.value ->> 'url', 'GET', ?, 10000, '200-399', 0, ?, ?, j.value ->> 'created', j.value ->> 'created'
                FROM json_each(?) j`,
          args: [accountId, opts.intervalSeconds ?? 60, status, opts.now - 30 * DAY, rows],
        },
        ...(status === 'up'
          ? [
              {
                sql: `INSERT INTO checks (monitor_id, checked_at, ok, status_code, response_time_ms)
                      SELECT j.value ->> 'id', j.value ->> 'checkedAt', 1, 200, 120 FROM json_each(?) j`,
                args: [rows],
              },
            ]
          : []),
      ],
      'write',
    );
  }
  return ids;
}

/**
 * `days` of history ending at `now`, one check every `everySeconds`, about 0.5 % failures, written
 * as recordCheck would have: raw rows in `checks` and the matching hourly and daily `rollups`.
 * One INSERT … SELECT over a recursive sequence per monitor, so 130,000 rows take about a second.
 */
export async function insertHistory(
  svc: Services,
  monitorIds: string[],
  opts: { days: number; everySeconds: number; now: number },
): Promise<number> {
  const n = Math.floor((opts.days * DAY) / (opts.everySeconds * 1000));
  const step = opts.everySeconds * 1000;
  const start = opts.now - n * step;
  const stmts = monitorIds.flatMap((id) => [
    {
      sql: `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
            INSERT INTO checks (monitor_id, checked_at, ok, status_code, response_time_ms, reason)
            SELECT ?, ? + i * ?, (i % 200) != 0, CASE WHEN i % 200 = 0 THEN 503 ELSE 200 END,
                   80 + (i * 37) % 200, CASE WHEN i % 200 = 0 THEN 'HTTP 503' END
            FROM seq`,
      args: [n, id, start, step],
    },
    ...(['hour', 'day'] as const).map((grain) => ({
      // SLA time (issue 18): each check stands for one interval of up or down time.
      sql: `INSERT INTO rollups (monitor_id, grain, bucket_start, checks, ok_checks, total_response_ms, up_ms, down_ms)
            SELECT monitor_id, ?, checked_at - checked_at % ?, count(*), sum(ok), sum(CASE WHEN ok THEN response_time_ms ELSE 0 END),
                   sum(ok) * ?, (count(*) - sum(ok)) * ?
            FROM checks WHERE monitor_id = ? GROUP BY 1, 2, 3`,
      args: [grain, grain === 'hour' ? HOUR : DAY, step, step, id],
    })),
  ]);
  for (let i = 0; i < stmts.length; i += 60) await svc.db.$client.batch(stmts.slice(i, i + 60), 'write');
  return n * monitorIds.length;
}
