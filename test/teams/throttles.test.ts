import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchDue } from '../../src/alerts/dispatcher.js';
import { TEST_SENDS } from '../../src/alerts/test-event.js';
import { INVITES } from '../../src/teams/invitations.js';
import { eventually, startReceiver } from '../alerts/support.js';
import { rememberSecret } from '../support/ledger.js';
import { newEmail, teamsApp, type TeamsEnv } from './support.js';

let env: TeamsEnv;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
  env = await teamsApp();
});
afterAll(async () => {
  await env.close();
  await receiver.close();
});

type Refusal = { httpStatus?: number; retryAfterSeconds?: number };
async function outcomes(calls: Array<() => Promise<unknown>>): Promise<{ ok: number; refused: Refusal[] }> {
  let ok = 0;
  const refused: Refusal[] = [];
  for (const call of calls) {
    try {
      await call();
      ok++;
    } catch (e) {
      if (!(e instanceof TRPCClientError)) throw e;
      refused.push(e.data as Refusal);
    }
  }
  return { ok, refused };
}
const allTooMany = (refused: Refusal[]) => refused.every((r) => r.httpStatus === 429 && (r.retryAfterSeconds ?? 0) > 0);

describe('contacts.test is no reflector', () => {
  it('50 tests of one webhook reach it a handful of times (per contact), then the account’s budget ends; 429 with retryAfterSeconds', async () => {
    const owner = await env.person('reflector');
    await env.setPlan(owner.user.accountId, 'team');
    const hooks: Array<{ id: string }> = [];
    for (let i = 0; i < 6; i++) {
      const hook = await owner.contacts.create.mutate({ kind: 'webhook', name: `h${i}`, target: receiver.url(`/reflect-${i}`) });
      rememberSecret(hook.signingSecret);
      hooks.push(hook);
    }
    const first = await outcomes(Array.from({ length: 50 }, () => () => owner.contacts.test.mutate({ id: hooks[0]!.id })));
    expect(first.ok).toBe(TEST_SENDS.perContact.limit);
    expect(allTooMany(first.refused)).toBe(true);
    await eventually(() => expect(receiver.at('/reflect-0').length).toBe(TEST_SENDS.perContact.limit));

    // Other contacts of the same account, until the account's budget is spent.
    const rest = await outcomes(hooks.slice(1).flatMap((h) => Array.from({ length: 10 }, () => () => owner.contacts.test.mutate({ id: h.id }))));
    expect(first.ok + rest.ok).toBe(TEST_SENDS.perAccount.limit);
    expect(allTooMany(rest.refused)).toBe(true);
    console.log(`[figures] contacts.test: ${JSON.stringify({ calls: 100, sent: first.ok + rest.ok, oneContactHits: receiver.at('/reflect-0').length })}`);

    // The windows end: testing works again.
    env.clock.now += TEST_SENDS.perAccount.windowMs;
    await expect(owner.contacts.test.mutate({ id: hooks[0]!.id })).resolves.toMatchObject({ deliveryId: expect.any(String) });
  }, 60_000);

  it('a failing test delivery is tried once and reported failed, not retried for a day', async () => {
    const owner = await env.person('once');
    const hook = await owner.contacts.create.mutate({ kind: 'webhook', name: 'down', target: receiver.url('/always-down') });
    rememberSecret(hook.signingSecret);
    receiver.answerAt('/always-down', ...Array<number>(20).fill(503));
    const { deliveryId } = await owner.contacts.test.mutate({ id: hook.id });
    const failed = await eventually(async () => {
      const { items } = await owner.alerts.deliveries.query({ contactId: hook.id, limit: 10 });
      const d = items.find((i) => i.id === deliveryId)!;
      expect(d.status).toBe('failed');
      return d;
    });
    expect(failed).toMatchObject({ attempts: 1, nextAttemptAt: null, lastError: expect.stringContaining('503') });
    for (let hour = 0; hour < 25; hour++) {
      env.clock.now += 3600_000;
      await dispatchDue(env.t.svc);
    }
    expect(receiver.at('/always-down')).toHaveLength(1);
  }, 30_000);
});

describe('members.invite mails no stranger in a loop', () => {
  it('an invite/revoke loop of 25 to one address mails it a few times (per address), then 429 with retryAfterSeconds', async () => {
    const owner = await env.person('inviter');
    await env.setPlan(owner.user.accountId, 'team');
    const stranger = newEmail('stranger');
    const loop = await outcomes(
      Array.from({ length: 25 }, () => async () => {
        const inv = await owner.members.invite.mutate({ email: stranger, role: 'viewer' });
        await owner.members.revokeInvite.mutate({ id: inv.id });
      }),
    );
    expect(loop.ok).toBe(INVITES.perAddress.limit);
    expect(allTooMany(loop.refused)).toBe(true);
    await env.smtp.waitFor((inbox) => inbox.filter((m) => m.envelopeTo.includes(stranger)).length >= INVITES.perAddress.limit);
    expect(env.smtp.to(stranger)).toHaveLength(INVITES.perAddress.limit);

    // Another account cannot add to that address's mail either.
    const other = await env.person('inviter2');
    const fromOther = await outcomes([() => other.members.invite.mutate({ email: stranger, role: 'viewer' })]);
    expect(fromOther.ok).toBe(0);
    expect(allTooMany(fromOther.refused)).toBe(true);

    // Per account: new addresses every time, until the account's budget is spent.
    const spread = await outcomes(
      Array.from({ length: 30 }, () => async () => {
        const inv = await owner.members.invite.mutate({ email: newEmail('spread'), role: 'viewer' });
        await owner.members.revokeInvite.mutate({ id: inv.id });
      }),
    );
    expect(loop.ok + spread.ok).toBe(INVITES.perAccount.limit);
    expect(allTooMany(spread.refused)).toBe(true);
    console.log(`[figures] members.invite: ${JSON.stringify({ loopCalls: 25, mailsToOneAddress: env.smtp.to(stranger).length, accountInvites: loop.ok + spread.ok })}`);
  }, 60_000);
});
