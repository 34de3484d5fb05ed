import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberSecret } from '../support/ledger.js';
import { teamsApp, type TeamsEnv } from './support.js';

let env: TeamsEnv;
beforeAll(async () => {
  // 127.0.0.1 stands in for hooks.slack.com and discord.com (the chat kinds' host rule).
  env = await teamsApp({ ALERT_TEST_CHAT_HOSTS: '127.0.0.1' });
});
afterAll(() => env.close());

/**
 * A webhook URL's path and query often carry its secret, and a Slack or Discord webhook URL is
 * itself the credential that posts to the channel: only a role that may edit a contact sees it.
 */
describe('contact targets, by role', () => {
  it('a role without contacts:write sees scheme and host only; admins and owners see the URL as entered', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const admin = await env.teamOf(owner, 'admin');
    const editor = await env.teamOf(owner, 'editor');
    const viewer = await env.teamOf(owner, 'viewer');

    const HOOK = 'http://127.0.0.1:9/hooks/pathsecret1?token=querysecret1';
    const SLACK = 'http://127.0.0.1:9/services/T0SECRET/B0SECRET/slacksecret1';
    const DISCORD = 'http://127.0.0.1:9/api/webhooks/42/discordsecret1';
    for (const s of ['pathsecret1', 'querysecret1', 'slacksecret1', 'discordsecret1', 'T0SECRET']) rememberSecret(s);
    const hook = await admin.contacts.create.mutate({ kind: 'webhook', name: 'ops', target: HOOK });
    rememberSecret(hook.signingSecret);
    await admin.contacts.create.mutate({ kind: 'slack', name: 'slack', target: SLACK });
    await admin.contacts.create.mutate({ kind: 'discord', name: 'discord', target: DISCORD });

    const urlKinds = <C extends { kind: string }>(list: C[]) => list.filter((c) => c.kind !== 'email');
    for (const reader of [viewer, editor]) {
      const seen = await reader.contacts.list.query();
      const text = JSON.stringify(seen);
      for (const secret of ['pathsecret1', 'querysecret1', 'slacksecret1', 'discordsecret1', 'T0SECRET', 'hooks/', 'services/', 'webhooks/']) {
        expect(text).not.toContain(secret);
      }
      expect(urlKinds(seen).map((c) => c.target)).toEqual(['http://127.0.0.1:9/•••', 'http://127.0.0.1:9/•••', 'http://127.0.0.1:9/•••']);
      expect(urlKinds(seen).every((c) => c.targetHidden)).toBe(true);
      // The account's own address is no secret: every member sees where alerts are mailed.
      const mail = seen.find((c) => c.kind === 'email')!;
      expect(mail).toMatchObject({ target: owner.email, targetHidden: false });
    }
    for (const editorOfContacts of [admin, owner]) {
      const seen = urlKinds(await editorOfContacts.contacts.list.query());
      expect(seen.map((c) => c.target).sort()).toEqual([HOOK, SLACK, DISCORD].sort());
      expect(seen.every((c) => !c.targetHidden)).toBe(true);
    }
  });
});
