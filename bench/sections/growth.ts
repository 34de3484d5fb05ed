import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../src/app.js';
import { authenticateSession } from '../../src/auth/service.js';
import { pendingSession } from '../../src/auth/sessions.js';
import { encodeCursor } from '../../src/domain/cursor.js';
import { appRouter } from '../../src/routers/index.js';
import type { ApiServices } from '../../src/services.js';
import { createCallerFactory } from '../../src/trpc.js';
import { benchServices, countDb, fmt, median, ms, spread, tempDir, type SectionResult } from '../lib.js';
import { insertHistory, insertMonitors, registerUser } from '../seed.js';

const ROUNDS = 7;
const CALLS = 30;
const BIG_DAYS = 90;

async function callerFor(svc: ApiServices, cookie: string) {
  const token = cookie.slice(cookie.indexOf('=') + 1);
  if (!(await authenticateSession(svc, token))) throw new Error('no session');
  // A fresh context per call, as the door builds one per request.
  return createCallerFactory(appRouter)(async () => ({
    svc,
    req: new Request('http://vigil.test/internal'),
    resHeaders: new Headers(),
    ip: '127.0.0.1',
    session: await pendingSession(svc, token),
    partner: null,
  }));
}

/** Median ms of one call over `CALLS` sequential calls. */
async function timeCalls(f: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t = process.hrtime.bigint();
    await f();
    xs.push(ms(t));
  }
  return median(xs);
}

type PlanRow = { id: number; parent: number; detail: string };

function renderPlan(rows: PlanRow[]): string {
  const depth = new Map<number, number>([[0, -1]]);
  return rows
    .map((r) => {
      const d = (depth.get(r.parent) ?? -1) + 1;
      depth.set(r.id, d);
      return `${'  '.repeat(d)}${r.detail}`;
    })
    .join('\n');
}

export async function growthBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const dir = tempDir('growth');
  const svc = await benchServices(join(dir, 'bench.db'));
  const app = createApp(svc);
  try {
    const now = Date.now();
    // Big: 500 monitors; the first has 90 days of 1-minute checks, the others one day of 5-minute checks.
    const big = await registerUser(app, svc, 'big@example.com', 'team');
    const bigIds = await insertMonitors(svc, big.accountId, 500, { now });
    const t0 = Date.now();
    const bigRows = await insertHistory(svc, [bigIds[0]!], { days: BIG_DAYS, everySeconds: 60, now });
    // A year of 15-minute checks: as many hourly and daily rollups as a year of 1-minute checks (hourly: every slot full).
    const yearRows = await insertHistory(svc, [bigIds[2]!], { days: 365, everySeconds: 900, now });
    const dayRows = await insertHistory(svc, [bigIds[1]!, ...bigIds.slice(3)], { days: 1, everySeconds: 300, now });
    const seedSeconds = (Date.now() - t0) / 1000;
    // Same size, no history at all.
    const fresh500 = await registerUser(app, svc, 'fresh500@example.com', 'team');
    await insertMonitors(svc, fresh500.accountId, 500, { now, status: 'pending' });
    // Small account: 5 fresh monitors.
    const small = await registerUser(app, svc, 'small@example.com', 'team');
    const smallIds = await insertMonitors(svc, small.accountId, 5, { now, status: 'pending' });
    await svc.db.$client.execute('ANALYZE');
    const [counts] = (await svc.db.$client.execute('SELECT (SELECT count(*) FROM checks) AS checks, (SELECT count(*) FROM rollups) AS rollups')).rows;

    const bigCaller = await callerFor(svc, big.cookie);
    const fresh500Caller = await callerFor(svc, fresh500.cookie);
    const smallCaller = await callerFor(svc, small.cookie);

    const got = await bigCaller.monitors.get({ id: bigIds[0]! });
    if (got.uptime30d === null || got.uptime24h === null) throw new Error('uptime missing for the 90-day monitor');
    if ((await bigCaller.monitors.list({ limit: 100 })).items.length !== 100) throw new Error('list did not return a full page of 100');

    // A cursor deep in the 90-day history: the page after the 120,000 newest checks.
    const [deep] = (
      await svc.db.$client.execute({
        sql: 'SELECT checked_at AS t, id FROM checks WHERE monitor_id = ? ORDER BY checked_at DESC, id DESC LIMIT 1 OFFSET 120000',
        args: [bigIds[0]!],
      })
    ).rows as unknown as { t: number; id: number }[];
    const deepCursor = encodeCursor(Number(deep!.t), Number(deep!.id));
    const page2 = await bigCaller.monitors.checks({ id: bigIds[0]!, limit: 50 });

    const cases = {
      getYear: () => bigCaller.monitors.get({ id: bigIds[2]! }),
      getBig: () => bigCaller.monitors.get({ id: bigIds[0]! }),
      getDay: () => bigCaller.monitors.get({ id: bigIds[1]! }),
      getFresh: () => smallCaller.monitors.get({ id: smallIds[0]! }),
      listBig: () => bigCaller.monitors.list(),
      listFresh500: () => fresh500Caller.monitors.list(),
      listSmall: () => smallCaller.monitors.list(),
      checksBig: () => bigCaller.monitors.checks({ id: bigIds[0]!, limit: 50 }),
      checksDay: () => bigCaller.monitors.checks({ id: bigIds[1]!, limit: 50 }),
      checksPage2: () => bigCaller.monitors.checks({ id: bigIds[0]!, limit: 50, cursor: page2.nextCursor }),
      checksDeep: () => bigCaller.monitors.checks({ id: bigIds[0]!, limit: 50, cursor: deepCursor }),
    };
    type Case = keyof typeof cases;
    const names = Object.keys(cases) as Case[];
    for (const n of names) await timeCalls(cases[n]); // warm-up
    const t: Record<Case, number[]> = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Case, number[]>;
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 ? [...names].reverse() : names;
      for (const n of order) t[n].push(await timeCalls(cases[n]));
    }
    const ratio = (a: Case, b: Case) => spread(t[a].map((x, i) => x / t[b][i]!), 2);

    // The hot queries' plans, from the statements the procedures really send.
    const counter = countDb(svc.db.$client);
    const capture = async (label: string, f: () => Promise<unknown>) => {
      counter.reset();
      await f();
      return counter.calls.map((c) => ({ label, ...c }));
    };
    const firstPage = await bigCaller.monitors.checks({ id: bigIds[0]!, limit: 50 });
    const captured = [
      ...(await capture('monitors.list', cases.listBig)),
      ...(await capture('monitors.get', cases.getBig)),
      ...(await capture('monitors.checks, first page', cases.checksBig)),
      ...(await capture('monitors.checks, next page (cursor)', () =>
        bigCaller.monitors.checks({ id: bigIds[0]!, limit: 50, cursor: firstPage.nextCursor }),
      )),
      ...(await capture('monitors.checks, deep page (cursor after 120,000 rows)', cases.checksDeep)),
    ];
    counter.restore();
    const plans: string[] = [];
    let fullScans = 0;
    for (const c of captured) {
      const res = await svc.db.$client.execute({ sql: `EXPLAIN QUERY PLAN ${c.sql}`, args: c.args as never });
      const rows = res.rows as unknown as PlanRow[];
      const scans = rows.filter((r) => /^SCAN (checks|rollups|monitors)\b/.test(r.detail));
      fullScans += rows.filter((r) => /^SCAN checks\b/.test(r.detail)).length;
      plans.push(
        `${c.label}${scans.length ? ' — **SCAN**' : ''}\n\n\`\`\`\n${c.sql}\n-- args: ${JSON.stringify(c.args)}\n${renderPlan(rows)}\n\`\`\``,
      );
    }

    const row = (what: string, n: Case) => ({ call: what, 'ms per call': spread(t[n], 3) });
    return {
      id: 'growth',
      title: '4. Growth with history',
      method: `
tRPC procedures called in-process through \`createCallerFactory(appRouter)\` with a real session user (validation,
middleware and output parsing included; no HTTP). One database holds ${fmt(Number(counts!.checks), 0)} checks and
${fmt(Number(counts!.rollups), 0)} rollup rows: a Team account with 500 monitors, the first with ${BIG_DAYS} days of 1-minute
checks (${fmt(bigRows, 0)} rows, with hourly and daily rollups as recordCheck writes them), the third with 365 days of
15-minute checks (${fmt(yearRows, 0)} rows; a year of rollups: 365 daily and 2,208 hourly, the hour slots each monitor reuses), the other 498 with one day of
5-minute checks (${fmt(dayRows, 0)} rows); a second Team account with 500 monitors and no history; a small account with
5 fresh monitors. Seeded with batched INSERT … SELECT in ${fmt(seedSeconds, 1)} s, then \`ANALYZE\`. Each figure is the median of
${CALLS} sequential calls; ${ROUNDS} rounds, all cases interleaved (order reversed every other round); ratios per round, then median.`,
      tables: [
        {
          caption: 'Time per call',
          rows: [
            row(`monitors.get, ${BIG_DAYS} days of 1-minute checks`, 'getBig'),
            row('monitors.get, 365 days of 15-minute checks (a year of rollups)', 'getYear'),
            row('monitors.get, 1 day of 5-minute checks', 'getDay'),
            row('monitors.get, fresh monitor (no checks)', 'getFresh'),
            row('monitors.list, 500 monitors with history', 'listBig'),
            row('monitors.list, 500 monitors, no history', 'listFresh500'),
            row('monitors.list, 5 monitors', 'listSmall'),
            row(`monitors.checks first page (50), ${BIG_DAYS}-day monitor`, 'checksBig'),
            row('monitors.checks first page (50), 1-day monitor', 'checksDay'),
            row(`monitors.checks second page (cursor), ${BIG_DAYS}-day monitor`, 'checksPage2'),
            row(`monitors.checks page after the 120,000 newest (cursor), ${BIG_DAYS}-day monitor`, 'checksDeep'),
          ],
        },
        {
          caption: 'Ratios (same round)',
          rows: [
            { ratio: `get: ${BIG_DAYS}-day history / fresh monitor`, value: ratio('getBig', 'getFresh') },
            { ratio: `get: ${BIG_DAYS}-day history / 1-day history`, value: ratio('getBig', 'getDay') },
            { ratio: `get: 365-day / ${BIG_DAYS}-day history`, value: ratio('getYear', 'getBig') },
            { ratio: 'list 500: with history / without', value: ratio('listBig', 'listFresh500') },
            { ratio: 'list: 500 monitors / 5 monitors', value: ratio('listBig', 'listSmall') },
            {
              ratio: 'list: per monitor, 500 / 5',
              value: spread(t.listBig.map((x, i) => x / 500 / (t.listSmall[i]! / 5)), 2),
            },
            { ratio: `checks page: ${BIG_DAYS}-day / 1-day monitor`, value: ratio('checksBig', 'checksDay') },
            { ratio: 'checks page: deep (after 120,000) / second page', value: ratio('checksDeep', 'checksPage2') },
          ],
        },
      ],
      extra: `### Query plans of the hot queries\n\nFull scans of \`checks\`: **${fullScans}**.\n\n${plans.join('\n\n')}`,
    };
  } finally {
    svc.db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
