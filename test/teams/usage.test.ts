import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_LIMITS } from '../../src/domain/plans.js';
import { newEmail, teamsApp, type TeamsEnv } from './support.js';

/** account.usage: used against allowed for each counted limit, scoped to the caller's account. */
let env: TeamsEnv;
beforeAll(async () => {
  env = await teamsApp();
});
afterAll(() => env.close());

const usedOf = (u: { counted: { limit: string; used: number; max: number }[] }) => Object.fromEntries(u.counted.map((c) => [c.limit, [c.used, c.max]]));

describe('account.usage', () => {
  it('counts what the account has and did against its plan, and nothing of another account', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const stranger = await env.person('stranger');
    const before = usedOf(await owner.account.usage.query());

    await owner.monitors.create.mutate({ name: 'site', url: 'http://127.0.0.1:9/', intervalSeconds: 300 });
    await owner.oauthClients.create.mutate({ name: 'partner' });
    const revoked = await owner.oauthClients.create.mutate({ name: 'old' });
    await owner.oauthClients.revoke.mutate({ clientId: revoked.clientId });
    await owner.members.invite.mutate({ email: newEmail('seat'), role: 'viewer' });
    // The stranger's things are theirs: none of it shows in the owner's usage.
    await stranger.monitors.create.mutate({ name: 'theirs', url: 'http://127.0.0.1:9/', intervalSeconds: 300 });
    await stranger.oauthClients.create.mutate({ name: 'theirs' });

    const usage = await owner.account.usage.query();
    const team = PLAN_LIMITS.team;
    expect(usage).toMatchObject({ plan: 'team', label: 'Team', settings: { minIntervalSeconds: team.minIntervalSeconds, historyDays: team.historyDays, auditDays: team.auditDays } });
    expect(usedOf(usage)).toEqual({
      maxMonitors: [1, team.maxMonitors],
      maxStatusPages: [0, team.maxStatusPages],
      maxContacts: [before.maxContacts![0], team.maxContacts],
      maxApiClients: [1, team.maxApiClients], // the revoked one frees its place
      seats: [2, team.seats], // the owner and the pending invitation
      immediateChecksPerHour: [1, team.immediateChecksPerHour], // the new monitor's first check
      publicApiRequestsPerMinute: [0, team.publicApiRequestsPerMinute],
      smsPerMonth: [0, team.smsPerMonth], // texts this month (test/alerts/sms.test.ts counts them)
    });
    expect(usedOf(await stranger.account.usage.query())).toMatchObject({ maxMonitors: [1, PLAN_LIMITS.free.maxMonitors], maxApiClients: [1, PLAN_LIMITS.free.maxApiClients], seats: [1, 1] });
  });

  it('a window that has ended counts nothing, and a viewer may read the usage', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    await owner.monitors.create.mutate({ name: 'site', url: 'http://127.0.0.1:9/', intervalSeconds: 300 });
    expect(usedOf(await owner.account.usage.query()).immediateChecksPerHour![0]).toBe(1);
    env.clock.now += 60 * 60_000;
    expect(usedOf(await owner.account.usage.query()).immediateChecksPerHour![0]).toBe(0);

    const viewer = await env.teamOf(owner, 'viewer');
    expect(usedOf(await viewer.account.usage.query()).seats).toEqual([2, PLAN_LIMITS.team.seats]);
    // The account switcher names each account by the email that registered it.
    const names = Object.fromEntries((await viewer.auth.me.query()).accounts.map((a) => [a.accountId, a.name]));
    expect(names).toEqual({ [owner.user.accountId]: owner.email, [viewer.user.accountId]: viewer.email });
  });
});
