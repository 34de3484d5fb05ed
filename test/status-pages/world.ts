import { eq } from 'drizzle-orm';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { monitors as monitorsTable, regionRollups, rollups } from '../../src/db/schema.js';
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
 * "Public API" is checked from two regions, with known per-region rollups (REGION_LATENCY); the
 * hidden monitor has per-region rows too, and "Website" has stray rows from an earlier setting (it is
 * checked from home alone now).
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

  await regionHistory(t, owner.email, { api: api.id, web: web.id, hidden: hidden.id });

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

export const HOUR = 3_600_000;
export const hourRow = (monitorId: string, region: string, bucketStart: number) => ({ monitorId, grain: 'hour' as const, bucketStart, region, checks: 12, answered: 12, okChecks: 12, totalResponseMs: 0 });

/** "Public API"'s latency by region over the page's 24 hours, as the rollups below add up (home first). */
export const REGION_LATENCY = [
  // (480 + 600) ms over 12 + 10 successful checks
  { region: 'eu-west-1', avgResponseTimeMs: 49 },
  // (1800 + 2200) ms over 12 + 11
  { region: 'us-east-1', avgResponseTimeMs: 174 },
];

/**
 * Per-region rollups written as checks from several regions would have: "Public API" from
 * eu-west-1 and us-east-1, with rows outside the 24 hours, of the day grain and of a region it no
 * longer uses, none of which count; "Website" rows from before it went back to home alone; the
 * hidden monitor's own. The owner's plan allows several regions.
 */
async function regionHistory(t: Awaited<ReturnType<typeof startTestApp>>, email: string, ids: { api: string; web: string; hidden: string }) {
  await setPlanByEmail(t.svc, email, 'team');
  for (const [id, regions] of [[ids.api, ['eu-west-1', 'us-east-1']], [ids.hidden, ['eu-west-1', 'us-east-1']], [ids.web, null]] as const) {
    await t.svc.db.update(monitorsTable).set({ regions: regions && [...regions] }).where(eq(monitorsTable.id, id));
  }
  const hourStart = T0 - (T0 % HOUR);
  await t.svc.db.insert(regionRollups).values([
    { ...hourRow(ids.api, 'eu-west-1', hourStart - 3 * HOUR), totalResponseMs: 480 },
    { ...hourRow(ids.api, 'eu-west-1', hourStart - 2 * HOUR), okChecks: 10, totalResponseMs: 600 },
    { ...hourRow(ids.api, 'us-east-1', hourStart - 3 * HOUR), totalResponseMs: 1800 },
    { ...hourRow(ids.api, 'us-east-1', hourStart - 2 * HOUR), answered: 11, okChecks: 11, totalResponseMs: 2200 },
    // Not in the window, not the hour grain, not one of its regions now: none counts.
    { ...hourRow(ids.api, 'eu-west-1', hourStart - 25 * HOUR), okChecks: 1, totalResponseMs: 99_999 },
    { ...hourRow(ids.api, 'us-east-1', hourStart - 25 * HOUR), okChecks: 1, totalResponseMs: 99_999 },
    { ...hourRow(ids.api, 'eu-west-1', T0 - (T0 % DAY)), grain: 'day', okChecks: 1, totalResponseMs: 99_999 },
    { ...hourRow(ids.api, 'ap-southeast-1', hourStart - HOUR), totalResponseMs: 12 * 999 },
    { ...hourRow(ids.web, 'eu-west-1', hourStart - HOUR), totalResponseMs: 12 * 55 },
    { ...hourRow(ids.web, 'us-east-1', hourStart - HOUR), totalResponseMs: 12 * 66 },
    { ...hourRow(ids.hidden, 'eu-west-1', hourStart - HOUR), totalResponseMs: 12 * 888 },
    { ...hourRow(ids.hidden, 'us-east-1', hourStart - HOUR), totalResponseMs: 12 * 888 },
  ]);
}

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
