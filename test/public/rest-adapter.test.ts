import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { restAdapter } from '../../src/public/rest-adapter.js';
import { publicProcedure, router, type Context } from '../../src/trpc.js';
import { appAndTarget } from '../support/app-and-target.js';
import { accessToken, api, partnerOf } from './support.js';

const fx = appAndTarget();

/** What the adapter decides that test/public/api.test.ts and test/errors do not already pin down. */
describe('the /api/v1 transport', () => {
  it('an unknown path is 404 in the documented body; a write to it is still 405', async () => {
    const token = await accessToken(fx.t, await partnerOf(fx.t));
    for (const path of ['/nowhere', '/monitors/a/b', '/monitors/a/checks/more']) {
      const res = await api(fx.t, path, token);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ code: 'NOT_FOUND', message: 'Not found', issues: [] });
    }
    const write = await api(fx.t, '/nowhere', token, { method: 'DELETE' });
    expect(write.status).toBe(405);
    expect(write.headers.get('allow')).toBe('GET, HEAD');
  });

  it('paths match as trpc-to-openapi matched them: one trailing slash and letter case do not matter', async () => {
    const p = await partnerOf(fx.t);
    const m = await p.user.monitors.create.mutate({ name: 'slash', url: fx.target.url });
    const token = await accessToken(fx.t, p);
    for (const path of ['/monitors/', '/Monitors', `/monitors/${m.id}/`, `/MONITORS/${m.id}/checks`]) {
      expect((await api(fx.t, path, token)).status, path).toBe(200);
    }
  });

  it('a path parameter wins over a query parameter of the same name', async () => {
    const p = await partnerOf(fx.t);
    const m = await p.user.monitors.create.mutate({ name: 'mine', url: fx.target.url });
    const res = await api(fx.t, `/monitors/${m.id}?id=mon_someoneelse00000000000`, await accessToken(fx.t, p));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: m.id, name: 'mine' });
  });

  it('query values that fail their schema are 400 naming the field in issues', async () => {
    const token = await accessToken(fx.t, await partnerOf(fx.t));
    // A repeated parameter arrives as an array, which a single-valued field refuses.
    for (const [query, field] of [['limit=abc', 'limit'], ['limit=2.5', 'limit'], ['limit=1&limit=2', 'limit'], ['status=up&status=down', 'status'], ['tag=', 'tag']] as const) {
      const res = await api(fx.t, `/monitors?${query}`, token);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { code: string; issues: { path: string }[] };
      expect(body.code, query).toBe('BAD_REQUEST');
      expect(body.issues.map((i) => i.path), query).toEqual([field]);
    }
    // A parameter the route does not declare is refused by name, with the one it probably meant.
    const typo = await api(fx.t, '/monitors?limt=5', token);
    expect(typo.status).toBe(400);
    expect(((await typo.json()) as { issues: unknown[] }).issues).toEqual([{ path: 'limt', message: 'unknown field; did you mean limit?' }]);
  });

  it('HEAD is GET without the body (trpc-to-openapi answered any HEAD, even to an unknown path, with 204)', async () => {
    const p = await partnerOf(fx.t);
    await p.user.monitors.create.mutate({ name: 'head', url: fx.target.url });
    const token = await accessToken(fx.t, p);
    const get = await api(fx.t, '/monitors', token);
    const head = await api(fx.t, '/monitors', token, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('x-ratelimit-limit')).toBe(get.headers.get('x-ratelimit-limit'));
    // It counts against the plan like any request.
    expect(Number(head.headers.get('x-ratelimit-remaining'))).toBe(Number(get.headers.get('x-ratelimit-remaining')) - 1);

    const nowhere = await api(fx.t, '/nowhere', token, { method: 'HEAD' });
    expect(nowhere.status).toBe(404);
    expect(await nowhere.text()).toBe('');
    expect((await api(fx.t, '/monitors', null, { method: 'HEAD' })).status).toBe(401);
  });
});

/** The route table, on small routers of its own: what it builds and what it refuses to build. */
describe('restAdapter', () => {
  const ctx = {} as Context; // the procedures below read nothing from it
  const get = (path: `/${string}`) => ({ openapi: { method: 'GET' as const, path } });
  const call = (adapter: ReturnType<typeof restAdapter>, url: string, method = 'GET') =>
    adapter(new Request(`http://vigil.test/api/v1${url}`, { method }), ctx);

  it('a field declared as an array gets one from one value or many; numbers in it are coerced', async () => {
    const adapter = restAdapter(
      router({
        list: publicProcedure
          .meta(get('/things'))
          .input(z.object({ ids: z.array(z.coerce.number()).optional(), tags: z.array(z.string()).default([]), q: z.string().optional() }))
          .query(({ input }) => input),
      }),
      '/api/v1',
    );
    expect(await call(adapter, '/things?ids=1&tags=a&q=x')).toEqual({ ok: true, data: { ids: [1], tags: ['a'], q: 'x' } });
    expect(await call(adapter, '/things?ids=1&ids=2&tags=a&tags=b')).toEqual({ ok: true, data: { ids: [1, 2], tags: ['a', 'b'] } });
    expect(await call(adapter, '/things')).toEqual({ ok: true, data: { tags: [] } });
    const bad = await call(adapter, '/things?ids=x');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe('BAD_REQUEST');
    expect(!bad.ok && bad.path).toBe('list');
  });

  it('a procedure without input gets none; a method other than GET or HEAD finds no route', async () => {
    const adapter = restAdapter(router({ ping: publicProcedure.meta(get('/ping')).query(({ input }) => ({ input: input ?? null })) }), '/api/v1');
    expect(await call(adapter, '/ping?x=1')).toEqual({ ok: true, data: { input: null } });
    expect(await call(adapter, '/ping', 'HEAD')).toEqual({ ok: true, data: { input: null } });
    const post = await call(adapter, '/ping', 'POST');
    expect(!post.ok && post.error.code).toBe('NOT_FOUND');
  });

  it('an unexpected failure is INTERNAL_SERVER_ERROR carrying its cause', async () => {
    const boom = new Error('boom');
    const ctxWithLog = { svc: { log: { error: () => undefined } } } as unknown as Context;
    const adapter = restAdapter(
      router({
        fail: publicProcedure.meta(get('/fail')).query(() => {
          throw boom;
        }),
      }),
      '/api/v1',
    );
    const res = await adapter(new Request('http://vigil.test/api/v1/fail'), ctxWithLog);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.code).toBe('INTERNAL_SERVER_ERROR');
    expect(!res.ok && res.error.cause).toBe(boom);
  });

  it('refuses to build a route a read-only query string cannot serve', () => {
    const build = (procedures: Parameters<typeof router>[0]) => () => restAdapter(router(procedures), '/api/v1');
    expect(build({ w: publicProcedure.meta({ openapi: { method: 'POST', path: '/w' } }).mutation(() => 1) })).toThrow(/read-only/);
    expect(build({ n: publicProcedure.meta(get('/n')).input(z.object({ n: z.number().optional() })).query(() => 1) })).toThrow(/"n" is a number.*z\.coerce/);
    expect(build({ b: publicProcedure.meta(get('/b')).input(z.object({ b: z.array(z.boolean()) })).query(() => 1) })).toThrow(/"b" is a boolean/);
    expect(build({ o: publicProcedure.meta(get('/o')).input(z.object({ o: z.object({ a: z.string() }) })).query(() => 1) })).toThrow(/"o" is an object/);
    expect(build({ s: publicProcedure.meta(get('/s')).input(z.string()).query(() => 1) })).toThrow(/must be an object/);
    // Procedures without meta.openapi are not routes at all.
    expect(build({ internal: publicProcedure.input(z.object({ n: z.number() })).mutation(() => 1) })).not.toThrow();
  });
});
