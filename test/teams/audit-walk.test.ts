import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/schema.js';
import { rememberSecret } from '../support/ledger.js';
import { walkAppRouter } from './router-walk.js';
import { newEmail, teamsApp, type TeamsEnv } from './support.js';

let env: TeamsEnv;
beforeAll(async () => {
  env = await teamsApp();
});
afterAll(() => env.close());

/**
 * The mutations that change no account: they act before anyone is a member of one (registering,
 * confirming a mailbox, asking for an email). Every other mutation is a write and must leave an
 * audit row, which the walk below proves by calling each one.
 */
const NO_ACCOUNT_YET = ['auth.register', 'auth.verifyEmail', 'auth.requestPasswordReset', 'auth.resendVerification'];

describe('every write leaves an audit row (the router walked, each write called)', () => {
  it('each mutation but the account-less ones writes a row named after it', async () => {
    const called = new Set<string>();
    const did = async <T,>(path: string, call: Promise<T>): Promise<T> => {
      const result = await call;
      called.add(path);
      return result;
    };
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const mate = await env.person('mate');
    const leaver = await env.person('leaver');

    // members
    await did('members.invite', owner.members.invite.mutate({ email: mate.email, role: 'viewer' }));
    await did('members.accept', mate.members.accept.mutate({ token: await env.inviteTokenTo(mate.email) }));
    await did('members.updateRole', owner.members.updateRole.mutate({ userId: mate.user.id, role: 'editor' }));
    await did('members.remove', owner.members.remove.mutate({ userId: mate.user.id }));
    const stranger = newEmail('stranger');
    const pending = await owner.members.invite.mutate({ email: stranger, role: 'viewer' });
    await did('members.revokeInvite', owner.members.revokeInvite.mutate({ id: pending.id }));
    await owner.members.invite.mutate({ email: leaver.email, role: 'viewer' });
    await leaver.members.accept.mutate({ token: await env.inviteTokenTo(leaver.email) });
    await did('account.switch', leaver.account.switch.mutate({ accountId: owner.user.accountId }));
    await did('members.leave', leaver.members.leave.mutate());

    // monitors
    const m = await did('monitors.create', owner.monitors.create.mutate({ kind: 'heartbeat', name: 'job', intervalSeconds: 3600, graceSeconds: 600 }));
    rememberSecret(m.pingUrl!.split('/').pop());
    await did('monitors.update', owner.monitors.update.mutate({ id: m.id, name: 'nightly job' }));
    const probed = await owner.monitors.create.mutate({ name: 'site', url: 'http://127.0.0.1:9/', intervalSeconds: 60 });
    env.clock.now += 61_000; // past the first check the create ran, one interval
    await did('monitors.checkNow', owner.monitors.checkNow.mutate({ id: probed.id }));
    const rotated = await did('monitors.rotatePingToken', owner.monitors.rotatePingToken.mutate({ id: m.id }));
    rememberSecret(rotated.pingUrl.split('/').pop());

    // maintenance
    const w = await did('maintenance.create', owner.maintenance.create.mutate({ monitorIds: 'all', startsAt: '2031-06-01T00:00:00Z', endsAt: '2031-06-08T00:00:00Z' }));
    await did('maintenance.update', owner.maintenance.update.mutate({ id: w.id, window: { monitorIds: 'all', startsAt: '2031-06-01T00:00:00Z', endsAt: '2031-06-02T00:00:00Z' } }));
    await did('maintenance.delete', owner.maintenance.delete.mutate({ id: w.id }));

    // status pages
    const page = await did('statusPages.create', owner.statusPages.create.mutate({ slug: `walk-${Date.now()}`, title: 'Walk', monitors: [{ monitorId: m.id }] }));
    await did('statusPages.update', owner.statusPages.update.mutate({ id: page.id, title: 'Walked' }));
    await did('statusPages.delete', owner.statusPages.delete.mutate({ id: page.id }));
    await did('monitors.delete', owner.monitors.delete.mutate({ id: m.id }));

    // contacts
    const mail = await did('contacts.create', owner.contacts.create.mutate({ kind: 'email', name: 'oncall', target: 'walk-oncall@example.com' }));
    await did('contacts.resendVerification', owner.contacts.resendVerification.mutate({ id: mail.id }));
    await did('contacts.verify', owner.contacts.verify.mutate({ id: mail.id, code: await env.codeSentTo('walk-oncall@example.com', 2) }));
    await did('contacts.update', owner.contacts.update.mutate({ id: mail.id, name: 'on call' }));
    await did('contacts.test', owner.contacts.test.mutate({ id: mail.id }));
    const hook = await owner.contacts.create.mutate({ kind: 'webhook', name: 'ops', target: 'https://hooks.example.net/walk' });
    rememberSecret(hook.signingSecret);
    rememberSecret((await did('contacts.rotateSecret', owner.contacts.rotateSecret.mutate({ id: hook.id }))).signingSecret);
    await did('contacts.delete', owner.contacts.delete.mutate({ id: mail.id }));

    // clients
    const client = await did('oauthClients.create', owner.oauthClients.create.mutate({ name: 'ci' }));
    rememberSecret(client.clientSecret);
    await did('oauthClients.revoke', owner.oauthClients.revoke.mutate({ clientId: client.clientId }));

    // the user's own password and sessions, last: they sign the user out
    const NEXT = 'the walk password 2';
    rememberSecret(NEXT);
    await did('auth.changePassword', owner.auth.changePassword.mutate({ current: 'correct horse battery', next: NEXT }));
    await did('auth.logoutEverywhere', owner.auth.logoutEverywhere.mutate());
    await did('auth.login', owner.auth.login.mutate({ email: owner.email, password: NEXT }));
    await did('auth.logout', owner.auth.logout.mutate());
    await env.t.client().auth.requestPasswordReset.mutate({ email: owner.email });
    const THIRD = 'the walk password 3';
    rememberSecret(THIRD);
    await did('auth.resetPassword', env.t.client().auth.resetPassword.mutate({ token: await env.linkTo(owner.email, 'reset-password'), password: THIRD }));

    const writes = walkAppRouter()
      .filter((p) => p.type === 'mutation' && !NO_ACCOUNT_YET.includes(p.path))
      .map((p) => p.path)
      .sort();
    // A new write procedure fails here until this walk calls it, and then until it audits.
    expect([...called].sort()).toEqual(writes);
    const rows = await env.t.svc.db.select({ action: auditLog.action, outcome: auditLog.outcome }).from(auditLog);
    const audited = new Set(rows.filter((r) => r.outcome === 'ok').map((r) => r.action));
    expect(writes.filter((w) => !audited.has(w))).toEqual([]);
  });
});
