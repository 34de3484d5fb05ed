import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createApp } from '../../src/app.js';
import { newId } from '../../src/domain/ids.js';
import { createStatusPage } from '../../src/status-pages/create.js';
import { benchServices, countDb, fmt, median, ms, spread, tempDir, type SectionResult } from '../lib.js';
import { insertHistory, insertMonitors, registerUser } from '../seed.js';

const ROUNDS = 7;
const CALLS = 40;
const MONITORS = 50;
const DAY = 86_400_000;
/** A fixed clock: the figures do not depend on the day the bench runs. */
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);

/**
 * One public status page of 50 monitors with 90 days of history, served in-process by the same
 * Hono app `npm start` serves: the HTML page, the same page's JSON, and a conditional request
 * answered 304. Ratios only, and the database round trips and statements of each.
 */
export async function statusBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const dir = tempDir('status');
  const svc = await benchServices(join(dir, 'bench.db'), { now: () => NOW });
  const app = createApp(svc, { statusPages: true, internal: true });
  try {
    const owner = await registerUser(app, svc, 'status@example.com', 'team');
    const ids = await insertMonitors(svc, owner.accountId, MONITORS, { now: NOW });
    const t0 = Date.now();
    // 90 days of 15-minute checks: the rollups (90 daily and 2,160 hourly rows per monitor) are
    // what a page reads; the raw checks are there so that reading them would show.
    const checks = await insertHistory(svc, ids, { days: 90, everySeconds: 900, now: NOW });
    // Two incidents per monitor in the last 14 days (one resolved), and one open on 5 monitors.
    await svc.db.$client.batch(
      ids.flatMap((id, i) => [
        { sql: 'INSERT INTO incidents (id, monitor_id, started_at, resolved_at, reason) VALUES (?, ?, ?, ?, ?)', args: [newId('inc'), id, NOW - (3 + (i % 10)) * DAY, NOW - (3 + (i % 10)) * DAY + 600_000, 'HTTP 503'] },
        ...(i % 10 === 0 ? [{ sql: 'INSERT INTO incidents (id, monitor_id, started_at, reason) VALUES (?, ?, ?, ?)', args: [newId('inc'), id, NOW - 3_600_000, 'timeout'] }] : []),
      ]),
      'write',
    );
    const seedSeconds = (Date.now() - t0) / 1000;
    await createStatusPage(svc, { id: owner.accountId, plan: 'team' }, {
      slug: 'bench',
      title: 'Bench status',
      showUrls: false,
      showReasons: false,
      frameAncestors: [],
      monitors: ids.map((monitorId, i) => ({ monitorId, displayName: `Service ${i + 1}` })),
    }, { accountId: owner.accountId, actorId: 'operator', ip: null });

    const html = await app.request('/status/bench');
    const json = await app.request('/status/bench.json');
    const htmlBody = await html.text();
    const jsonBody = await json.text();
    if (html.status !== 200 || json.status !== 200 || !htmlBody.includes('Service 50')) throw new Error('the page did not render');
    const etag = html.headers.get('etag')!;
    const conditional = await app.request('/status/bench', { headers: { 'If-None-Match': etag } });
    if (conditional.status !== 304) throw new Error(`expected 304, got ${conditional.status}`);

    const paths = {
      html: () => app.request('/status/bench'),
      json: () => app.request('/status/bench.json'),
      '304': () => app.request('/status/bench', { headers: { 'If-None-Match': etag } }),
    } as const;
    type Path = keyof typeof paths;

    // Round trips and statements of one request each, and whether any statement reads `checks`.
    const db = countDb(svc.db.$client);
    const trips: Record<Path, { roundTrips: number; statements: number; readsChecks: boolean }> = {} as never;
    for (const p of Object.keys(paths) as Path[]) {
      db.reset();
      await (await paths[p]()).arrayBuffer();
      trips[p] = { roundTrips: db.roundTrips, statements: db.statements, readsChecks: db.sql.some((s) => /\b(from|join)\s+"?checks"?\b/i.test(s)) };
    }
    db.restore();

    const perRound: Record<Path, number[]> = { html: [], json: [], '304': [] };
    const ratios = { htmlVsJson: [] as number[], notModifiedVsJson: [] as number[], htmlVsNotModified: [] as number[] };
    const order: Path[] = ['html', 'json', '304'];
    for (const p of order) for (let i = 0; i < 5; i++) await (await paths[p]()).arrayBuffer(); // warm-up
    for (let r = 0; r < ROUNDS; r++) {
      const m = {} as Record<Path, number>;
      for (const p of [...order.slice(r % 3), ...order.slice(0, r % 3)]) {
        const xs: number[] = [];
        for (let i = 0; i < CALLS; i++) {
          const t = process.hrtime.bigint();
          await (await paths[p]()).arrayBuffer();
          xs.push(ms(t));
        }
        m[p] = median(xs);
        perRound[p].push(m[p]);
      }
      ratios.htmlVsJson.push(m.html / m.json);
      ratios.notModifiedVsJson.push(m['304'] / m.json);
      ratios.htmlVsNotModified.push(m.html / m['304']);
    }

    const size = (body: string) => `${fmt(Buffer.byteLength(body) / 1024, 0)} KiB (gzip ${fmt(gzipSync(body).length / 1024, 0)} KiB)`;
    const row = (p: Path, what: string, bytes: string) => ({
      request: what,
      'DB round trips': String(trips[p].roundTrips),
      statements: String(trips[p].statements),
      'reads checks': trips[p].readsChecks ? 'yes' : 'no',
      'time vs JSON, median (min–max of rounds)': p === 'json' ? '1 (baseline)' : spread(p === 'html' ? ratios.htmlVsJson : ratios.notModifiedVsJson, 2),
      body: bytes,
    });
    return {
      id: 'status',
      title: '6. Status pages',
      method: `
One status page with ${MONITORS} monitors (Team plan), each with 90 days of 15-minute checks (${checks.toLocaleString('en-US')} rows in
\`checks\` and their hourly and daily rollups) and recent incidents (one resolved per monitor in the last 14 days, five open),
seeded in ${fmt(seedSeconds, 1)} s on an embedded libSQL file. Requests go in-process through the app's \`fetch\`
(\`app.request\`, the same Hono app and middleware \`npm start\` serves; no socket), with a fixed clock.
(a) \`GET /status/bench\`: read + HTML render; (b) \`GET /status/bench.json\`: the same read + JSON; (c) \`GET /status/bench\` with
\`If-None-Match\` of the current ETag: the same read, then 304 without rendering. ${ROUNDS} rounds of ${CALLS} sequential requests
each after a warm-up, order rotated each round; ratios are taken within a round, then the median. Round trips are counted
at the libSQL client (a batch is one round trip, as on Turso where it is one HTTP request).`,
      tables: [
        {
          rows: [
            row('html', '(a) HTML page', size(htmlBody)),
            row('json', '(b) JSON', size(jsonBody)),
            row('304', '(c) conditional, 304', '0'),
          ],
        },
        {
          caption: 'HTML render vs the 304 path (what a CDN revalidation saves):',
          rows: [{ ratio: 'HTML / 304, median (min–max of rounds)', value: spread(ratios.htmlVsNotModified, 2) }],
        },
      ],
    };
  } finally {
    svc.db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
