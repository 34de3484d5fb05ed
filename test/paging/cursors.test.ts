import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runCheck } from '../../src/checker/run.js';
import { encodeCursor } from '../../src/domain/cursor.js';
import { PAGE_LIMIT } from '../../src/domain/page.js';
import { appAndTarget } from '../support/app-and-target.js';
import { accessToken, api, partnerOf } from '../public/support.js';

/**
 * Cursors are opaque on both doors: every paged endpoint takes back only a cursor it issued for
 * the same list, account and filters, and answers anything else with a 400 that names `cursor`:
 * never a 500, never a page that starts somewhere else.
 */
const fx = appAndTarget();

type Partner = Awaited<ReturnType<typeof partnerOf>>;
type User = Partner['user'];
type Answer = { status: number; fields: string[]; body: unknown };

let owner: Partner;
let token: string;
let first: { id: string };
let second: { id: string };

/** tRPC's error as the SPA gets it: the HTTP status and the fields it names. */
async function internal(call: () => Promise<unknown>): Promise<Answer> {
  try {
    return { status: 200, fields: [], body: await call() };
  } catch (e) {
    const data = (e as { data?: { httpStatus: number; fieldErrors?: { path: string }[] } }).data;
    if (!data) throw e;
    return { status: data.httpStatus, fields: (data.fieldErrors ?? []).map((f) => f.path), body: null };
  }
}

async function publicGet(path: string, cursor: string): Promise<Answer> {
  const res = await api(fx.t, `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`, token);
  const body = (await res.json()) as { issues?: { path: string }[] };
  return { status: res.status, fields: (body.issues ?? []).map((i) => i.path), body };
}

/** Every paged endpoint of both doors, asked for a page after `cursor`. */
const endpoints = (user: User): Array<[string, (cursor: string) => Promise<Answer>]> => [
  ['/internal monitors.list', (cursor) => internal(() => user.monitors.list.query({ cursor }))],
  ['/internal monitors.checks', (cursor) => internal(() => user.monitors.checks.query({ id: first.id, cursor }))],
  ['/internal monitors.incidents', (cursor) => internal(() => user.monitors.incidents.query({ id: first.id, cursor }))],
  ['/internal maintenance.list', (cursor) => internal(() => user.maintenance.list.query({ cursor }))],
  ['/internal audit.list', (cursor) => internal(() => user.audit.list.query({ cursor }))],
  ['/internal alerts.deliveries', (cursor) => internal(() => user.alerts.deliveries.query({ cursor }))],
  ['/api/v1/monitors', (cursor) => publicGet('/monitors', cursor)],
  ['/api/v1/monitors/{id}/checks', (cursor) => publicGet(`/monitors/${first.id}/checks`, cursor)],
  ['/api/v1/monitors/{id}/incidents', (cursor) => publicGet(`/monitors/${first.id}/incidents`, cursor)],
  ['/api/v1/maintenance', (cursor) => publicGet('/maintenance', cursor)],
];

const refused = (a: Answer) => a.status === 400 && a.fields.includes('cursor');

beforeAll(async () => {
  owner = await partnerOf(fx.t);
  token = await accessToken(fx.t, owner);
  first = await owner.user.monitors.create.mutate({ name: 'first', url: fx.target.url });
  second = await owner.user.monitors.create.mutate({ name: 'second', url: `${fx.target.url}?b` });
  for (const m of [first, second]) {
    await runCheck(fx.t.svc, m.id, { confirmDelayMs: 0 });
    await runCheck(fx.t.svc, m.id, { confirmDelayMs: 0 });
  }
});

describe('a cursor the list did not issue', () => {
  it('random text is a 400 naming cursor on every paged endpoint of both doors (property)', async () => {
    const cursorLike = fc.oneof(
      fc.string({ minLength: 1, maxLength: 300 }),
      fc.base64String({ minLength: 4, maxLength: 120 }),
      // What an unsealed position looks like: a time and an id of the right shape, base64url.
      fc.tuple(fc.nat(), fc.constantFrom('mon_x', 'inc_x', 'mnt_x', 'aud_x', 'dlv_x', '0', '1')).map(([t, k]) => encodeCursor(t, k)),
      fc.tuple(fc.nat(), fc.constantFrom('mon_x', '1')).map(([t, k]) => `${encodeCursor(t, k)}.${'A'.repeat(22)}`),
    );
    const each = endpoints(owner.user);
    await fc.assert(
      fc.asyncProperty(cursorLike, fc.constantFrom(...each.keys()), async (cursor, i) => {
        const [name, ask] = each[i]!;
        const answer = await ask(cursor);
        expect(refused(answer), `${name} with ${JSON.stringify(cursor)}: ${answer.status} ${answer.fields}`).toBe(true);
      }),
      { numRuns: 120 },
    );
  });

  it('one the list issued takes the next page, with any page size, on both doors', async () => {
    const page1 = await owner.user.monitors.list.query({ limit: 1 });
    expect(page1.items.map((m) => m.id)).toEqual([first.id]);
    const page2 = await owner.user.monitors.list.query({ limit: PAGE_LIMIT.max, cursor: page1.nextCursor });
    expect(page2.items.map((m) => m.id)).toEqual([second.id]);
    expect(page2.nextCursor).toBeNull();

    const pub1 = (await (await api(fx.t, '/monitors?limit=1', token)).json()) as { items: { id: string }[]; data: unknown; nextCursor: string };
    expect(pub1.items.map((m) => m.id)).toEqual([first.id]);
    expect(pub1.data).toEqual(pub1.items);
    const pub2 = await publicGet('/monitors?limit=5', pub1.nextCursor);
    expect(pub2.status).toBe(200);
    expect((pub2.body as { items: { id: string }[] }).items.map((m) => m.id)).toEqual([second.id]);
  });

  it('edited by one character anywhere is a 400 naming cursor', async () => {
    const { nextCursor } = await owner.user.monitors.checks.query({ id: first.id, limit: 1 });
    expect(nextCursor).toEqual(expect.any(String));
    for (let i = 0; i < nextCursor!.length; i++) {
      const c = nextCursor![i]!;
      const edited = `${nextCursor!.slice(0, i)}${c === 'A' ? 'B' : 'A'}${nextCursor!.slice(i + 1)}`;
      const answer = await internal(() => owner.user.monitors.checks.query({ id: first.id, limit: 1, cursor: edited }));
      expect(refused(answer), `position ${i}`).toBe(true);
    }
  });

  it('issued for another list, monitor, filter, account or door is a 400 naming cursor', async () => {
    const user = owner.user;
    const monitors = (await user.monitors.list.query({ limit: 1 })).nextCursor!;
    const checksOfFirst = (await user.monitors.checks.query({ id: first.id, limit: 1 })).nextCursor!;
    const publicMonitors = ((await (await api(fx.t, '/monitors?limit=1', token)).json()) as { nextCursor: string }).nextCursor;
    const stranger = await fx.t.signUp();
    await stranger.monitors.create.mutate({ name: 'a', url: fx.target.url });
    await stranger.monitors.create.mutate({ name: 'b', url: fx.target.url });
    const strangers = (await stranger.monitors.list.query({ limit: 1 })).nextCursor!;

    const cases: Array<[string, Promise<Answer>]> = [
      ['monitors cursor on checks', internal(() => user.monitors.checks.query({ id: first.id, cursor: monitors }))],
      ['checks of one monitor on another', internal(() => user.monitors.checks.query({ id: second.id, cursor: checksOfFirst }))],
      ['another filter', internal(() => user.monitors.list.query({ search: 'first', cursor: monitors }))],
      ['another account', internal(() => user.monitors.list.query({ cursor: strangers }))],
      ['the internal door on the public one', publicGet('/monitors', monitors)],
      ['the public door on the internal one', internal(() => user.monitors.list.query({ cursor: publicMonitors }))],
    ];
    for (const [name, answer] of cases) expect(refused(await answer), name).toBe(true);
  });
});
