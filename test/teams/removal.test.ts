import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, tokenRequest } from '../public/support.js';
import { rememberSecret } from '../support/ledger.js';
import { teamsApp, type Person, type TeamsEnv } from './support.js';

let env: TeamsEnv;
beforeAll(async () => {
  env = await teamsApp();
});
afterAll(() => env.close());

const status = async (p: Promise<unknown>): Promise<number> =>
  p.then(
    () => 200,
    (e: unknown) => (e instanceof TRPCClientError ? ((e.data as { httpStatus?: number }).httpStatus ?? 0) : -1),
  );
const tokenStatus = async (c: { clientId: string; clientSecret: string }) =>
  (await tokenRequest(env.t, { grant_type: 'client_credentials' }, { authorization: basic(c.clientId, c.clientSecret) })).status;
const pingStatus = async (url: string) => (await fetch(url.replace(/^https?:\/\/[^/]+/, env.t.baseUrl))).status;

/** What an admin leaves behind: an invitation to a second address, an API client, a webhook, a heartbeat's ping URL, a session. */
async function adminWithSetup(owner: Person) {
  const admin = await env.teamOf(owner, 'admin');
  const second = await env.person('second');
  await admin.members.invite.mutate({ email: second.email, role: 'admin' });
  const client = await admin.oauthClients.create.mutate({ name: 'their ci' });
  rememberSecret(client.clientSecret);
  const hook = await admin.contacts.create.mutate({ kind: 'webhook', name: 'their hook', target: 'http://127.0.0.1:9/their-hook' });
  rememberSecret(hook.signingSecret);
  const beat = await admin.monitors.create.mutate({ kind: 'heartbeat', name: 'their job', intervalSeconds: 3600, graceSeconds: 600, alertContactIds: [hook.id] });
  rememberSecret(beat.pingUrl!.split('/').pop());
  return { admin, second, client, hook, beat };
}

describe('removing a member leaves no way back in', () => {
  it('their invitations and sessions end for good; with revokeCreated their client, contact and ping URL end too', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const { admin, second, client, hook, beat } = await adminWithSetup(owner);
    expect(await tokenStatus(client)).toBe(200);
    expect(await pingStatus(beat.pingUrl!)).toBe(200);

    // The app shows who made each of them.
    expect((await owner.oauthClients.list.query()).find((c) => c.clientId === client.clientId)).toMatchObject({ createdBy: admin.user.id });
    expect((await owner.contacts.list.query()).find((c) => c.id === hook.id)).toMatchObject({ createdBy: admin.user.id });
    expect(await owner.monitors.get.query({ id: beat.id })).toMatchObject({ pingTokenCreatedBy: admin.user.id });
    const invitedByAdmin = (await owner.members.list.query()).invitations.filter((i) => i.invitedBy === admin.user.id);
    expect(invitedByAdmin).toHaveLength(1);

    const removed = await owner.members.remove.mutate({ userId: admin.user.id, revokeCreated: true });
    expect(removed).toMatchObject({ ok: true, revoked: { invitations: [invitedByAdmin[0]!.id], clients: [client.clientId], contacts: [hook.id], pingTokens: [beat.id] } });

    // The invitation to their second address is dead: no admin seat through the back door.
    expect(await status(second.members.accept.mutate({ token: await env.inviteTokenTo(second.email) }))).toBe(400);
    expect((await owner.members.list.query()).invitations).toEqual([]);
    // Their client gets no token, their webhook is gone (and off the monitor), their ping URL is dead.
    expect(await tokenStatus(client)).toBe(401);
    expect((await owner.contacts.list.query()).map((c) => c.id)).not.toContain(hook.id);
    expect((await owner.monitors.get.query({ id: beat.id })).alertContactIds).toEqual([]);
    expect(await pingStatus(beat.pingUrl!)).toBe(404);
    expect((await owner.monitors.get.query({ id: beat.id })).pingTokenCreatedBy).toBeNull();
    // Their session is refused now, and stays refused after they are invited back and accept in a new browser.
    expect(await status(admin.auth.me.query())).toBe(401);
    await owner.members.invite.mutate({ email: admin.email, role: 'viewer' });
    const again = env.t.client();
    await again.auth.login.mutate({ email: admin.email, password: 'correct horse battery' });
    await again.members.accept.mutate({ token: await env.inviteTokenTo(admin.email, 2) });
    await again.account.switch.mutate({ accountId: owner.user.accountId });
    expect((await again.auth.me.query()).role).toBe('viewer');
    expect(await status(admin.auth.me.query())).toBe(401);
    expect(await status(admin.monitors.list.query())).toBe(401);

    // Every revocation is audited, by the remover.
    const { items } = await owner.audit.list.query({ limit: 100 });
    const byOwner = items.filter((r) => r.actorId === owner.user.id && r.outcome === 'ok').map((r) => `${r.action}:${r.entityId}`);
    expect(byOwner).toEqual(
      expect.arrayContaining([
        `members.remove:${admin.user.id}`,
        `members.revokeInvite:${invitedByAdmin[0]!.id}`,
        `oauthClients.revoke:${client.clientId}`,
        `contacts.delete:${hook.id}`,
        `monitors.rotatePingToken:${beat.id}`,
      ]),
    );
  }, 60_000);

  it('without revokeCreated what they made keeps working, listed under its maker, for the remover to revoke one by one', async () => {
    const owner = await env.person('owner2');
    await env.setPlan(owner.user.accountId, 'team');
    const { admin, client, beat } = await adminWithSetup(owner);
    await owner.members.remove.mutate({ userId: admin.user.id });
    expect(await status(admin.auth.me.query())).toBe(401);
    expect(await tokenStatus(client)).toBe(200);
    expect(await pingStatus(beat.pingUrl!)).toBe(200);
    expect((await owner.oauthClients.list.query()).find((c) => c.clientId === client.clientId)).toMatchObject({ createdBy: admin.user.id, revokedAt: null });
    await owner.oauthClients.revoke.mutate({ clientId: client.clientId });
    expect(await tokenStatus(client)).toBe(401);
  }, 60_000);

  it('a second invitation addressed to the removed member is revoked with them', async () => {
    const owner = await env.person('owner3');
    await env.setPlan(owner.user.accountId, 'team');
    const mate = await env.person('mate');
    await owner.members.invite.mutate({ email: mate.email, role: 'viewer' });
    await owner.members.invite.mutate({ email: mate.email, role: 'admin' });
    await mate.members.accept.mutate({ token: await env.inviteTokenTo(mate.email, 1) });
    await owner.members.remove.mutate({ userId: mate.user.id });
    expect(await status(mate.members.accept.mutate({ token: await env.inviteTokenTo(mate.email, 2) }))).toBe(400);
    expect((await owner.members.list.query()).members.map((m) => m.userId)).not.toContain(mate.user.id);
  }, 60_000);
});
