import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneExpiredAccountRows } from '../../src/accounts/prune-expired.js';
import { DAY_MS } from '../../src/domain/time.js';
import { newEmail, teamsApp, type Person, type TeamsEnv } from './support.js';

let env: TeamsEnv;
beforeAll(async () => {
  env = await teamsApp();
});
afterAll(() => env.close());

async function allAudit(p: Person) {
  const items = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<Person['audit']['list']['query']>> = await p.audit.list.query({ limit: 3, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

describe('the audit log', () => {
  it('has one row per change, refused attempts included, and never a secret', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const viewer = await env.teamOf(owner, 'viewer');

    const m = await owner.monitors.create.mutate({ name: 'site', url: 'http://127.0.0.1:9/status?token=hunter2pass', intervalSeconds: 300 });
    await owner.monitors.update.mutate({ id: m.id, name: 'renamed' });
    await owner.monitors.delete.mutate({ id: m.id });
    const client = await owner.oauthClients.create.mutate({ name: 'ci' });
    await owner.oauthClients.revoke.mutate({ clientId: client.clientId });
    await owner.members.updateRole.mutate({ userId: viewer.user.id, role: 'editor' });
    await owner.members.updateRole.mutate({ userId: viewer.user.id, role: 'viewer' });
    await expect(viewer.monitors.create.mutate({ name: 'nope', url: 'http://127.0.0.1:9/', intervalSeconds: 300 })).rejects.toBeInstanceOf(TRPCClientError);
    await expect(viewer.members.remove.mutate({ userId: owner.user.id })).rejects.toBeInstanceOf(TRPCClientError);

    const log = await allAudit(owner);
    // The test's clock stands still, so rows share a time: compare them as a multiset.
    const actions = log.map((r) => `${r.action}:${r.outcome}`).sort();
    expect(actions).toEqual(
      [
      'auth.login:ok',
      'members.invite:ok',
      'members.accept:ok',
      'account.switch:ok',
      'monitors.create:ok',
      'monitors.update:ok',
      'monitors.delete:ok',
      'oauthClients.create:ok',
      'oauthClients.revoke:ok',
      'members.updateRole:ok',
      'members.updateRole:ok',
      'monitors.create:denied',
      'members.remove:denied',
      ].sort(),
    );
    expect(new Set(log.map((r) => r.id)).size).toBe(log.length);
    const denied = log.filter((r) => r.outcome === 'denied');
    expect(new Set(denied.map((r) => r.actorId))).toEqual(new Set([viewer.user.id]));
    expect(denied.every((r) => r.ip === '127.0.0.1')).toBe(true);
    const created = log.find((r) => r.action === 'monitors.create' && r.outcome === 'ok')!;
    expect(created.changes).toMatchObject({ name: 'site', url: 'http://127.0.0.1:9', intervalSeconds: 300 });
    const text = JSON.stringify(log);
    for (const secret of ['hunter2pass', '/status', client.clientSecret]) expect(text).not.toContain(secret);

    expect((await owner.audit.list.query({ entity: 'members', limit: 50 })).items.map((r) => r.action)).toContain('members.updateRole');
    expect((await owner.audit.list.query({ actorId: viewer.user.id, limit: 50 })).items.every((r) => r.actorId === viewer.user.id)).toBe(true);
  });

  it('is for admins and owners only', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const editor = await env.teamOf(owner, 'editor');
    const admin = await env.teamOf(owner, 'admin');
    await expect(editor.audit.list.query({})).rejects.toMatchObject({ data: { httpStatus: 403 } });
    await expect(admin.audit.list.query({})).resolves.toBeTruthy();
  });

  it('a refused invitation (no seat) writes no row: the row is in the insert’s batch', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'solo');
    await expect(owner.members.invite.mutate({ email: newEmail(), role: 'viewer' })).rejects.toMatchObject({ data: { httpStatus: 403 } });
    expect((await allAudit(owner)).map((r) => r.action)).toEqual(['auth.login']);
  });

  it('is kept per plan: 7 days on Free, 365 on Team', async () => {
    const free = await env.person('free');
    const team = await env.person('team');
    await env.setPlan(team.user.accountId, 'team');
    env.clock.now += 8 * DAY_MS;
    await pruneExpiredAccountRows(env.t.svc);
    const [freeRows, teamRows] = await Promise.all(
      [free, team].map((p) => env.t.svc.db.$client.execute({ sql: 'SELECT count(*) AS n FROM audit_log WHERE account_id = ?', args: [p.user.accountId] })),
    );
    expect(Number(freeRows!.rows[0]!.n)).toBe(0);
    expect(Number(teamRows!.rows[0]!.n)).toBe(1);
  });
});
