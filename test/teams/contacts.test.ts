import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberSecret } from '../support/ledger.js';
import { teamsApp, type TeamsEnv } from './support.js';

let env: TeamsEnv;
beforeAll(async () => {
  env = await teamsApp();
});
afterAll(() => env.close());

const status = (e: unknown) => ((e as { data?: { httpStatus?: number } }).data?.httpStatus ?? 0);
async function refused(p: Promise<unknown>): Promise<number> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(TRPCClientError);
  return status(e);
}

async function codeSentTo(to: string): Promise<string> {
  const withCode = () => env.smtp.inbox.filter((m) => m.envelopeTo.includes(to) && /Your code: \d{6}/.test(m.text ?? ''));
  await env.smtp.waitFor(() => withCode().length >= 1);
  const code = /Your code: (\d{6})/.exec(withCode()[0]!.text ?? '')![1]!;
  rememberSecret(`Your code: ${code}`);
  return code;
}

describe('alert contacts in a team', () => {
  it('admins and owners manage contacts, editors set monitors’ contacts, viewers read; each change is audited without a secret', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const admin = await env.teamOf(owner, 'admin');
    const editor = await env.teamOf(owner, 'editor');
    const viewer = await env.teamOf(owner, 'viewer');

    const hook = await admin.contacts.create.mutate({ kind: 'webhook', name: 'ops', target: 'http://127.0.0.1:9/hooks/s3cr3tpath?token=hunter2tok' });
    rememberSecret(hook.signingSecret);
    await admin.contacts.update.mutate({ id: hook.id, name: 'ops-2', target: 'http://127.0.0.1:9/other/s3cr3tpath2' });
    const rotated = await admin.contacts.rotateSecret.mutate({ id: hook.id });
    rememberSecret(rotated.signingSecret);
    const mail = await owner.contacts.create.mutate({ kind: 'email', name: 'oncall', target: 'oncall-team@example.com' });
    const code = await codeSentTo('oncall-team@example.com');
    expect((await admin.contacts.verify.mutate({ id: mail.id, code })).status).toBe('active');

    // Editors: monitors and their alert settings, not contacts.
    expect(await refused(editor.contacts.create.mutate({ kind: 'email', name: 'x', target: 'x@example.com' }))).toBe(403);
    expect(await refused(editor.contacts.test.mutate({ id: mail.id }))).toBe(403);
    const m = await editor.monitors.create.mutate({ name: 'site', url: 'http://127.0.0.1:9/', paused: true });
    const updated = await editor.monitors.update.mutate({ id: m.id, alertContactIds: [hook.id, mail.id] });
    expect(updated.alertContactIds.sort()).toEqual([hook.id, mail.id].sort());

    // Viewers read the account's contacts and deliveries, and change nothing.
    const seen = await viewer.contacts.list.query();
    expect(seen.map((c) => c.id)).toEqual(expect.arrayContaining([hook.id, mail.id]));
    await expect(viewer.alerts.deliveries.query({ limit: 10 })).resolves.toMatchObject({ items: expect.any(Array) });
    for (const p of [
      viewer.contacts.delete.mutate({ id: hook.id }),
      viewer.contacts.rotateSecret.mutate({ id: hook.id }),
      viewer.contacts.update.mutate({ id: hook.id, name: 'nope' }),
    ]) {
      expect(await refused(p)).toBe(403);
    }

    await owner.contacts.delete.mutate({ id: hook.id });
    expect((await editor.monitors.get.query({ id: m.id })).alertContactIds).toEqual([mail.id]);

    const { items } = await owner.audit.list.query({ entity: 'contacts', limit: 50 });
    expect(items.map((r) => `${r.action}:${r.outcome}`).sort()).toEqual(
      [
        'contacts.create:ok',
        'contacts.update:ok',
        'contacts.rotateSecret:ok',
        'contacts.create:ok',
        'contacts.verify:ok',
        'contacts.delete:ok',
        'contacts.create:denied',
        'contacts.test:denied',
        'contacts.delete:denied',
        'contacts.rotateSecret:denied',
        'contacts.update:denied',
      ].sort(),
    );
    const createdHook = items.find((r) => r.action === 'contacts.create' && r.entityId === hook.id)!;
    expect(createdHook.actorId).toBe(admin.user.id);
    expect(createdHook.changes).toEqual({ kind: 'webhook', name: 'ops', target: 'http://127.0.0.1:9' });
    expect(items.find((r) => r.action === 'contacts.update' && r.outcome === 'ok')!.changes).toEqual({ name: 'ops-2', target: 'http://127.0.0.1:9' });
    expect(items.find((r) => r.action === 'contacts.create' && r.entityId === mail.id)!.changes).toMatchObject({ target: 'oncall-team@example.com' });
    const text = JSON.stringify(items);
    for (const secret of ['s3cr3tpath', 'hunter2tok', '/hooks', '/other', code, hook.signingSecret!, rotated.signingSecret!]) {
      expect(text).not.toContain(secret);
    }
  });

  it("every query answers for the session's current account: after account.switch, the other account's contacts and deliveries", async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const ownerContacts = await owner.contacts.list.query();
    const mate = await env.person('mate');
    const mateOwn = await mate.contacts.list.query();
    // Each registration made its own account's address a contact, in the new account.
    expect(ownerContacts).toEqual([expect.objectContaining({ target: owner.email, status: 'active' })]);
    expect(mateOwn).toEqual([expect.objectContaining({ target: mate.email, status: 'active' })]);

    await owner.members.invite.mutate({ email: mate.email, role: 'admin' });
    await mate.members.accept.mutate({ token: await env.inviteTokenTo(mate.email) });
    await mate.account.switch.mutate({ accountId: owner.user.accountId });

    expect((await mate.contacts.list.query()).map((c) => c.id)).toEqual(ownerContacts.map((c) => c.id));
    expect(await refused(mate.contacts.update.mutate({ id: mateOwn[0]!.id, name: 'elsewhere' }))).toBe(404);
    const created = await mate.contacts.create.mutate({ kind: 'email', name: 'team', target: 'team-inbox@example.com' });
    expect((await owner.contacts.list.query()).map((c) => c.id)).toContain(created.id);
    const { deliveryId } = await mate.contacts.test.mutate({ id: ownerContacts[0]!.id });
    const mine = await owner.alerts.deliveries.query({ limit: 10 });
    expect(mine.items.map((d) => d.id)).toContain(deliveryId);

    // And back in their own account, only their own.
    await mate.account.switch.mutate({ accountId: mate.user.accountId });
    expect((await mate.contacts.list.query()).map((c) => c.id)).toEqual(mateOwn.map((c) => c.id));
    expect((await mate.alerts.deliveries.query({ limit: 10 })).items.map((d) => d.id)).not.toContain(deliveryId);
  });
});
