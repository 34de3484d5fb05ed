import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rejection } from '../support/http-status.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());


const uniqueSlug = () => `page-${Math.random().toString(36).slice(2, 10)}`;

async function ownerWithMonitor() {
  const c = await t.signUp();
  const m = await c.monitors.create.mutate({ name: 'API', url: 'https://example.com/health', paused: true });
  return { c, m };
}

describe('statusPages management', () => {
  it('creates, lists, updates and deletes a page', async () => {
    const { c, m } = await ownerWithMonitor();
    const slug = uniqueSlug();
    const page = await c.statusPages.create.mutate({ slug, title: 'Acme status', monitors: [{ monitorId: m.id, displayName: 'Public API' }] });
    expect(page).toMatchObject({
      slug,
      url: `http://vigil.test/status/${slug}`,
      title: 'Acme status',
      description: null,
      showUrls: false,
      showReasons: false,
      frameAncestors: [],
      monitors: [{ monitorId: m.id, displayName: 'Public API' }],
    });
    expect(page.id).toMatch(/^stp_[a-z0-9]{24}$/);
    expect(await c.statusPages.list.query()).toEqual([page]);

    const m2 = await c.monitors.create.mutate({ name: 'Web', url: 'https://example.com/', paused: true });
    const updated = await c.statusPages.update.mutate({
      id: page.id,
      title: 'Acme',
      showReasons: true,
      frameAncestors: ['https://www.acme.example'],
      monitors: [{ monitorId: m2.id }, { monitorId: m.id, displayName: 'API' }],
    });
    expect(updated).toMatchObject({
      title: 'Acme',
      showReasons: true,
      showUrls: false,
      frameAncestors: ['https://www.acme.example'],
      monitors: [{ monitorId: m2.id, displayName: null }, { monitorId: m.id, displayName: 'API' }],
    });

    expect(await c.statusPages.delete.mutate({ id: page.id })).toEqual({ id: page.id, deleted: true });
    expect(await c.statusPages.list.query()).toEqual([]);
    expect(await rejection(c.statusPages.delete.mutate({ id: page.id }))).toMatchObject({ status: 404 });
    // The slug is free again.
    await c.statusPages.create.mutate({ slug, title: 'Again', monitors: [] });
  });

  it('refuses bad and reserved slugs, naming the field, and a taken slug with 409', async () => {
    const { c } = await ownerWithMonitor();
    for (const slug of ['ab', 'UPPER', 'with space', 'dots.json', 'a'.repeat(41), 'ünï', '../etc']) {
      const r = await rejection(c.statusPages.create.mutate({ slug, title: 'x', monitors: [] }));
      expect(r, slug).toMatchObject({ status: 400, fieldErrors: [{ path: 'slug', message: 'must be 3 to 40 characters of a-z, 0-9 and -' }] });
    }
    for (const slug of ['api', 'internal', 'oauth', 'admin', 'status', 'assets']) {
      const r = await rejection(c.statusPages.create.mutate({ slug, title: 'x', monitors: [] }));
      expect(r, slug).toMatchObject({ status: 400, fieldErrors: [{ path: 'slug', message: 'is reserved; choose another' }] });
    }
    const slug = uniqueSlug();
    await c.statusPages.create.mutate({ slug, title: 'mine', monitors: [] });
    const other = await t.signUp();
    expect(await rejection(other.statusPages.create.mutate({ slug, title: 'theirs', monitors: [] }))).toMatchObject({
      status: 409,
      message: 'slug: is already taken',
    });
    // The same on update.
    const own = await other.statusPages.create.mutate({ slug: uniqueSlug(), title: 'theirs', monitors: [] });
    expect(await rejection(other.statusPages.update.mutate({ id: own.id, slug }))).toMatchObject({ status: 409 });
  });

  it('never adds a monitor of another account, and says the same as for a monitor that does not exist', async () => {
    const alice = await ownerWithMonitor();
    const bob = await ownerWithMonitor();
    const foreign = await rejection(
      bob.c.statusPages.create.mutate({ slug: uniqueSlug(), title: 'x', monitors: [{ monitorId: bob.m.id }, { monitorId: alice.m.id }] }),
    );
    expect(foreign).toEqual({
      code: 'BAD_REQUEST',
      status: 400,
      message: 'monitors.1.monitorId: no such monitor in your account',
      fieldErrors: [{ path: 'monitors.1.monitorId', message: 'no such monitor in your account' }],
      limit: undefined,
    });
    const missing = await rejection(
      bob.c.statusPages.create.mutate({ slug: uniqueSlug(), title: 'x', monitors: [{ monitorId: bob.m.id }, { monitorId: 'mon_doesnotexist' }] }),
    );
    expect(missing).toEqual(foreign);
    expect(await bob.c.statusPages.list.query()).toEqual([]);

    const page = await bob.c.statusPages.create.mutate({ slug: uniqueSlug(), title: 'x', monitors: [{ monitorId: bob.m.id }] });
    expect(await rejection(bob.c.statusPages.update.mutate({ id: page.id, monitors: [{ monitorId: alice.m.id }] }))).toMatchObject({ status: 400 });
    expect((await bob.c.statusPages.list.query())[0]!.monitors).toEqual([{ monitorId: bob.m.id, displayName: null }]);
    // Alice can neither see, change nor delete Bob's page.
    expect(await alice.c.statusPages.list.query()).toEqual([]);
    expect(await rejection(alice.c.statusPages.update.mutate({ id: page.id, title: 'pwned' }))).toMatchObject({ status: 404 });
    expect(await rejection(alice.c.statusPages.delete.mutate({ id: page.id }))).toMatchObject({ status: 404 });
    expect((await bob.c.statusPages.list.query())[0]!.title).toBe('x');
  });

  it('refuses a monitor listed twice, bad frame ancestors and an anonymous caller', async () => {
    const { c, m } = await ownerWithMonitor();
    expect(
      await rejection(c.statusPages.create.mutate({ slug: uniqueSlug(), title: 'x', monitors: [{ monitorId: m.id }, { monitorId: m.id }] })),
    ).toMatchObject({ status: 400, fieldErrors: [{ path: 'monitors', message: 'each monitor may appear once' }] });
    expect(
      await rejection(c.statusPages.create.mutate({ slug: uniqueSlug(), title: 'x', monitors: [], frameAncestors: ["https://a.example/path"] })),
    ).toMatchObject({ status: 400, fieldErrors: [{ path: 'frameAncestors.0' }] });
    expect(await rejection(c.statusPages.create.mutate({ slug: uniqueSlug(), title: 'x', monitors: [], frameAncestors: ["'self' *"] }))).toMatchObject({
      status: 400,
    });
    expect(await rejection(t.client().statusPages.list.query())).toMatchObject({ status: 401 });
  });

  it('enforces the plan: free 1, solo 5 pages, even when created in parallel', async () => {
    const { c } = await ownerWithMonitor();
    await c.statusPages.create.mutate({ slug: uniqueSlug(), title: 'one', monitors: [] });
    expect(await rejection(c.statusPages.create.mutate({ slug: uniqueSlug(), title: 'two', monitors: [] }))).toMatchObject({
      status: 403,
      message: 'Free plan allows 1 status page; you have 1. Delete a page or upgrade your plan.',
      limit: { plan: 'free', limit: 1, current: 1 },
    });
    await setPlanByEmail(t.svc, c.email, 'solo');
    const solo = t.client(c.jar); // the plan is read from the session on each request
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => solo.statusPages.create.mutate({ slug: uniqueSlug() + i, title: `p${i}`, monitors: [] })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect(await solo.statusPages.list.query()).toHaveLength(5);
  });
});
