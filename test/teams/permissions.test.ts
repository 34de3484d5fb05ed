import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships } from '../../src/db/schema.js';
import { isWrite, PERMISSIONS, roleHas } from '../../src/domain/permissions.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { walkAppRouter } from './router-walk.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const procedures = walkAppRouter();

describe('every procedure declares who may call it', () => {
  it('walks the whole router: each declares a permission of the table, or is explicitly public', () => {
    expect(procedures.length).toBeGreaterThan(20);
    const undeclared = procedures.filter((p) => !p.meta?.public && !p.meta?.permission).map((p) => p.path);
    expect(undeclared).toEqual([]);
    for (const p of procedures) if (p.meta?.permission) expect(Object.keys(PERMISSIONS)).toContain(p.meta.permission);
  });

  it('only signing in, registering, sign-out and emailed links are public', () => {
    const open = procedures.filter((p) => p.meta?.public).map((p) => p.path).sort();
    expect(open).toEqual(['auth.login', 'auth.logout', 'auth.register', 'auth.requestPasswordReset', 'auth.resetPassword', 'auth.verifyEmail']);
  });

  it('a viewer holds no write: only reads and what a user does to their own session', () => {
    const held = Object.keys(PERMISSIONS).filter((p) => roleHas('viewer', p as keyof typeof PERMISSIONS));
    for (const p of held) expect(p === 'self' || p.endsWith(':read')).toBe(true);
  });
});

describe('a viewer is refused every write (the router walked, not a list)', () => {
  it('every mutation needing more than `self` answers 403 to a viewer, before its input is read', async () => {
    const viewer = await t.signUp();
    await t.svc.db.update(memberships).set({ role: 'viewer' }).where(eq(memberships.userId, viewer.user.id));
    const writes = procedures.filter((p) => p.type === 'mutation' && p.meta?.permission && p.meta.permission !== 'self');
    expect(writes.length).toBeGreaterThanOrEqual(8);
    const statuses: Record<string, number> = {};
    for (const p of writes) {
      const res = await t.fetch(`/internal/${p.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: viewer.jar.header() },
        body: '{}',
      });
      statuses[p.path] = res.status;
    }
    expect(statuses).toEqual(Object.fromEntries(writes.map((p) => [p.path, 403])));
    // Reads still work for the viewer.
    expect((await viewer.monitors.list.query()).items).toEqual([]);
  });
});

describe('where REQUIRE_VERIFIED_EMAIL is on, every write needs a confirmed email (the router walked)', () => {
  it('an unverified owner is refused every mutation that needs more than `self`, before its input is read; reads still work', async () => {
    const strict = await startTestApp({ env: { REQUIRE_VERIFIED_EMAIL: 'true' } });
    try {
      const owner = await strict.signUp();
      expect(owner.user).toMatchObject({ role: 'owner', emailVerified: false });
      const writes = procedures.filter((p) => p.type === 'mutation' && p.meta?.permission && p.meta.permission !== 'self');
      expect(writes.every((p) => isWrite(p.meta!.permission!))).toBe(true);
      expect(writes.length).toBeGreaterThanOrEqual(20);
      const refusals: Record<string, string> = {};
      for (const p of writes) {
        const res = await strict.fetch(`/internal/${p.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: owner.jar.header() },
          body: '{}',
        });
        const body = (await res.json()) as { error?: { message?: string } };
        refusals[p.path] = `${res.status} ${/confirm your email/.test(body.error?.message ?? '') ? 'confirm' : body.error?.message}`;
      }
      expect(refusals).toEqual(Object.fromEntries(writes.map((p) => [p.path, '403 confirm'])));
      expect((await owner.monitors.list.query()).items).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
