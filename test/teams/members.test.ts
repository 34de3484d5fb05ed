import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/time.js';
import { newEmail, teamsApp, type TeamsEnv } from './support.js';

let env: TeamsEnv;
beforeAll(async () => {
  env = await teamsApp();
});
afterAll(() => env.close());

const status = (e: unknown) => (e instanceof TRPCClientError ? (e.data as { httpStatus?: number } | undefined)?.httpStatus : undefined);
async function refused(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (e) {
    return status(e);
  }
  return 200;
}

/** An owner on the Team plan and a colleague who accepted an invitation as `role` and switched to the team. */
async function team(role: 'admin' | 'editor' | 'viewer' = 'editor') {
  const owner = await env.person('owner');
  await env.setPlan(owner.user.accountId, 'team');
  const mate = await env.person(role);
  await owner.members.invite.mutate({ email: mate.email, role });
  const token = await env.inviteTokenTo(mate.email);
  await mate.members.accept.mutate({ token });
  await mate.account.switch.mutate({ accountId: owner.user.accountId });
  return { owner, mate };
}

describe('invite, accept, work and remove, across two browsers', () => {
  it('the invitee works in the team account, then is refused on the very next request after removal', async () => {
    const { owner, mate } = await team('editor');
    const me = await mate.auth.me.query();
    expect(me.accountId).toBe(owner.user.accountId);
    expect(me.role).toBe('editor');
    expect(me.accounts.map((a) => [a.accountId, a.role]).sort()).toEqual(
      [[owner.user.accountId, 'editor'], [mate.user.accountId, 'owner']].sort(),
    );
    const monitor = await mate.monitors.create.mutate({ name: 'team site', url: 'http://127.0.0.1:9/', intervalSeconds: 300 });
    expect((await owner.monitors.list.query()).items.map((m) => m.id)).toEqual([monitor.id]);

    const list = await owner.members.list.query();
    expect(list.members.map((m) => m.role).sort()).toEqual(['editor', 'owner']);
    expect(list.seats).toEqual({ used: 2, limit: 10 });

    await owner.members.remove.mutate({ userId: mate.user.id });
    expect(await refused(mate.monitors.list.query())).toBe(401);
    expect((await owner.monitors.list.query()).items.length).toBe(1);
  });

  it('the invitation email links to the app and the token is stored only hashed', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const email = newEmail('hashed');
    await owner.members.invite.mutate({ email, role: 'viewer' });
    const token = await env.inviteTokenTo(email);
    const mail = env.smtp.to(email).at(-1)!;
    expect(mail.text).toContain(`${env.t.svc.config.appUrl}/accept-invite#token=${token}`);
    const rows = await env.t.svc.db.$client.execute('SELECT * FROM invitations');
    expect(JSON.stringify(rows.rows)).not.toContain(token);
  });
});

describe('roles', () => {
  it('an editor cannot manage members or OAuth clients (403), but edits monitors', async () => {
    const { mate } = await team('editor');
    expect(await refused(mate.members.invite.mutate({ email: newEmail(), role: 'viewer' }))).toBe(403);
    expect(await refused(mate.members.remove.mutate({ userId: mate.user.id }))).toBe(403);
    expect(await refused(mate.oauthClients.create.mutate({ name: 'x' }))).toBe(403);
    expect(await refused(mate.oauthClients.list.query())).toBe(403);
    await expect(mate.monitors.create.mutate({ name: 'ok', url: 'http://127.0.0.1:9/', intervalSeconds: 300 })).resolves.toBeTruthy();
  });

  it('a role change bites on the very next request, with the same cookie', async () => {
    const { owner, mate } = await team('editor');
    await mate.monitors.create.mutate({ name: 'before', url: 'http://127.0.0.1:9/', intervalSeconds: 300 });
    await owner.members.updateRole.mutate({ userId: mate.user.id, role: 'viewer' });
    expect(await refused(mate.monitors.create.mutate({ name: 'after', url: 'http://127.0.0.1:9/', intervalSeconds: 300 }))).toBe(403);
    expect((await mate.auth.me.query()).role).toBe('viewer');
    await owner.members.updateRole.mutate({ userId: mate.user.id, role: 'admin' });
    await expect(mate.oauthClients.list.query()).resolves.toEqual([]);
  });

  it('owners are changed only by owners, and an account keeps at least one owner', async () => {
    const { owner, mate } = await team('admin');
    expect(await refused(mate.members.updateRole.mutate({ userId: owner.user.id, role: 'viewer' }))).toBe(403);
    expect(await refused(mate.members.remove.mutate({ userId: owner.user.id }))).toBe(403);
    expect(await refused(mate.members.updateRole.mutate({ userId: mate.user.id, role: 'owner' }))).toBe(403);
    expect(await refused(owner.members.updateRole.mutate({ userId: owner.user.id, role: 'admin' }))).toBe(409);
    expect(await refused(owner.members.leave.mutate())).toBe(409);
    await owner.members.updateRole.mutate({ userId: mate.user.id, role: 'owner' });
    await owner.members.leave.mutate();
    expect((await mate.members.list.query()).members.map((m) => m.role)).toEqual(['owner']);
  });
});

describe('invitations', () => {
  it('work once, need the invited confirmed email, and expire after 7 days', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const mate = await env.person('mate');
    const stranger = await env.person('stranger');

    await owner.members.invite.mutate({ email: mate.email, role: 'viewer' });
    const token = await env.inviteTokenTo(mate.email);
    expect(await refused(stranger.members.accept.mutate({ token }))).toBe(403);
    await mate.members.accept.mutate({ token });
    expect(await refused(mate.members.accept.mutate({ token }))).toBe(400);

    const late = newEmail('late');
    await owner.members.invite.mutate({ email: late, role: 'viewer' });
    const lateToken = await env.inviteTokenTo(late);
    env.clock.now += 7 * DAY_MS + 1;
    const latecomer = await env.person('late', late);
    expect(await refused(latecomer.members.accept.mutate({ token: lateToken }))).toBe(400);
  });

  it('a revoked invitation frees its seat and its link is refused', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const email = newEmail('rev');
    const inv = await owner.members.invite.mutate({ email, role: 'viewer' });
    const token = await env.inviteTokenTo(email);
    expect((await owner.members.list.query()).seats.used).toBe(2);
    await owner.members.revokeInvite.mutate({ id: inv.id });
    expect((await owner.members.list.query()).seats.used).toBe(1);
    const invitee = await env.person('rev', email);
    expect(await refused(invitee.members.accept.mutate({ token }))).toBe(400);
  });

  it('the seat limit holds under a 20-way race: exactly the plan’s seats', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => owner.members.invite.mutate({ email: newEmail(`race${i}`), role: 'viewer' })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBe(9); // 10 seats, one is the owner's
    const refusedAll = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => status(r.reason));
    expect(new Set(refusedAll)).toEqual(new Set([403]));
    expect((await owner.members.list.query()).seats).toEqual({ used: 10, limit: 10 });
  });

  it('Free has one seat: the owner’s', async () => {
    const owner = await env.person('owner');
    expect(await refused(owner.members.invite.mutate({ email: newEmail(), role: 'viewer' }))).toBe(403);
  });
});

describe('isolation', () => {
  it('account.switch to an account the user does not belong to is 404, and nothing of it is readable', async () => {
    const { owner } = await team('editor');
    await owner.monitors.create.mutate({ name: 'secret', url: 'http://127.0.0.1:9/', intervalSeconds: 300 });
    const outsider = await env.person('outsider');
    expect(await refused(outsider.account.switch.mutate({ accountId: owner.user.accountId }))).toBe(404);
    expect(await refused(outsider.account.switch.mutate({ accountId: 'acc_doesnotexist000000000000' }))).toBe(404);
    expect((await outsider.auth.me.query()).accountId).toBe(outsider.user.accountId);
    expect((await outsider.monitors.list.query()).items).toEqual([]);
    expect((await outsider.members.list.query()).members.map((m) => m.email)).toEqual([outsider.email]);
  });

  it('a member of two accounts sees only the current one’s data, and switching back works', async () => {
    const { owner, mate } = await team('editor');
    await owner.monitors.create.mutate({ name: 'team', url: 'http://127.0.0.1:9/', intervalSeconds: 300 });
    await mate.account.switch.mutate({ accountId: mate.user.accountId });
    expect((await mate.monitors.list.query()).items).toEqual([]);
    await mate.monitors.create.mutate({ name: 'mine', url: 'http://127.0.0.1:9/', intervalSeconds: 300 });
    await mate.account.switch.mutate({ accountId: owner.user.accountId });
    expect((await mate.monitors.list.query()).items.map((m) => m.name)).toEqual(['team']);
  });
});
