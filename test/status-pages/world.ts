import { rollups } from '../../src/db/schema.js';
import { runCheck } from '../../src/checker/run.js';
import { startTestApp } from '../support/harness.js';
import { startTarget } from '../support/target.js';

export const DAY = 86_400_000;
/** A fixed clock: no test depends on today's date. */
export const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

/** Strings that only the owner may see: none may reach a public page unless the owner opts in. */
export const PRIVATE = {
  urlToken: 'private-url-token-4f2a',
  keyword: 'from the targ',
  reason: 'HTTP 418',
  monitorName: 'internal-name-do-not-show',
};

const fast = { confirmDelayMs: 0 };

/**
 * A page whose monitors are in the four states a visitor can meet, each reached by the real
 * checker (runCheck against loopback targets, with an injected clock):
 * - "Public API": up (keyword found), with 90 days of history;
 * - "Website": down with an open incident, after an incident 5 days ago that was resolved;
 * - "Docs": paused;
 * - "Webhooks": never checked.
 * A fifth monitor of the same owner is not on the page: nothing of it may show.
 */
export async function statusWorld(opts: { showUrls?: boolean; showReasons?: boolean; slug?: string } = {}) {
  let now = T0; // the owner signs up and creates monitors now; checks are then replayed from the past
  const t = await startTestApp({ now: () => now });
  const healthy = await startTarget();
  const flaky = await startTarget();
  const owner = await t.signUp();
  const at = async (ms: number, fn: () => Promise<unknown>) => {
    now = ms;
    await fn();
  };

  const api = await owner.monitors.create.mutate({ name: PRIVATE.monitorName, url: `${healthy.url}?token=${PRIVATE.urlToken}`, keyword: PRIVATE.keyword });
  const web = await owner.monitors.create.mutate({ name: 'web', url: flaky.url });
  const docs = await owner.monitors.create.mutate({ name: 'docs', url: healthy.url, paused: true });
  const webhooks = await owner.monitors.create.mutate({ name: 'webhooks', url: healthy.url });
  const hidden = await owner.monitors.create.mutate({ name: 'hidden', url: healthy.url });

  // 90 days of history cannot come from real checks in a test: these daily rollups are inserted
  // directly (days 89..11 ago, 288 checks a day, one every 5 minutes; 20 days ago the API had 8
  // failures). Uptime is SLA-true, read from the time counters: each check stands for its
  // 5 minutes, so 8 failures are 40 minutes down and the day reads as before.
  const today = T0 - (T0 % DAY);
  const FIVE_MIN = 300_000;
  const history = [];
  for (let d = 11; d <= 89; d++) {
    for (const m of [api, web]) {
      const bad = m.id === api.id && d === 20 ? 8 : 0;
      history.push({
        monitorId: m.id,
        grain: 'day' as const,
        bucketStart: today - d * DAY,
        checks: 288,
        okChecks: 288 - bad,
        totalResponseMs: 288 * 40,
        upMs: (288 - bad) * FIVE_MIN,
        downMs: bad * FIVE_MIN,
      });
    }
  }
  await t.svc.db.insert(rollups).values(history);

  flaky.always = 200;
  await at(T0 - 6 * DAY, () => runCheck(t.svc, web.id, fast));
  flaky.always = 418;
  await at(T0 - 5 * DAY, () => runCheck(t.svc, web.id, fast)); // down: incident opened
  flaky.always = 200;
  await at(T0 - 5 * DAY + 25 * 60_000, () => runCheck(t.svc, web.id, fast)); // resolved after 25 min
  await at(T0 - 2 * 3_600_000, () => runCheck(t.svc, api.id, fast));
  await at(T0 - 3_600_000, () => runCheck(t.svc, api.id, fast));
  flaky.always = 418;
  await at(T0 - 30 * 60_000, () => runCheck(t.svc, web.id, fast)); // down again, still open
  await at(T0 - 5 * 60_000, () => runCheck(t.svc, hidden.id, fast));
  now = T0;

  const page = await owner.statusPages.create.mutate({
    slug: opts.slug ?? 'acme',
    title: 'Acme status',
    description: 'Live health of Acme services.',
    showUrls: opts.showUrls ?? false,
    showReasons: opts.showReasons ?? false,
    monitors: [
      { monitorId: api.id, displayName: 'Public API' },
      { monitorId: web.id, displayName: 'Website' },
      { monitorId: docs.id, displayName: 'Docs' },
      { monitorId: webhooks.id, displayName: 'Webhooks' },
    ],
  });

  return {
    t,
    owner,
    page,
    monitors: { api, web, docs, webhooks, hidden },
    targets: { healthy, flaky },
    get now() {
      return now;
    },
    set now(v: number) {
      now = v;
    },
    check: (monitorId: string) => runCheck(t.svc, monitorId, fast),
    get: (path: string, headers: Record<string, string> = {}) => fetch(t.baseUrl + path, { headers }),
    async close() {
      await t.close();
      await healthy.close();
      await flaky.close();
    },
  };
}
export type StatusWorld = Awaited<ReturnType<typeof statusWorld>>;

/** Counts the database round trips (execute or batch calls) and keeps their SQL. */
export function watchDatabase(w: StatusWorld) {
  const client = w.t.svc.db.$client;
  const seen: string[][] = [];
  const sqlOf = (s: unknown) => (typeof s === 'string' ? s : (s as { sql: string }).sql);
  const execute = client.execute.bind(client);
  const batch = client.batch.bind(client);
  client.execute = ((stmt: unknown, ...rest: unknown[]) => {
    seen.push([sqlOf(stmt)]);
    return (execute as (...a: unknown[]) => unknown)(stmt, ...rest);
  }) as typeof client.execute;
  client.batch = ((stmts: unknown[], ...rest: unknown[]) => {
    seen.push(stmts.map(sqlOf));
    return (batch as (...a: unknown[]) => unknown)(stmts, ...rest);
  }) as typeof client.batch;
  return {
    seen,
    restore() {
      client.execute = execute;
      client.batch = batch;
    },
  };
}
