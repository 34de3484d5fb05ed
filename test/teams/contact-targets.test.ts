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

describe('the chat services’ contacts, by role', () => {
  it('a Teams, ntfy or PagerDuty URL is cut to its origin for roles without contacts:write; a Telegram chat id is shown; no secret to anyone', async () => {
    const owner = await env.person('owner');
    await env.setPlan(owner.user.accountId, 'team');
    const admin = await env.teamOf(owner, 'admin');
    const viewer = await env.teamOf(owner, 'viewer');
    const TEAMS = 'http://127.0.0.1:9/workflows/wfsecret1/triggers/manual/paths/invoke?sig=teamssecret1';
    const NTFY = 'http://127.0.0.1:9/ntfysecrettopic1';
    const secrets = { routingKey: 'R0UTINGKEYsecret1234567890abcdef', botToken: '4242:BOTTOKENsecret1234567890abcdefghij', ntfyToken: 'tk_NTFYsecret1234567890abcdefg' };
    for (const s of ['wfsecret1', 'teamssecret1', 'ntfysecrettopic1', ...Object.values(secrets)]) rememberSecret(s);
    await admin.contacts.create.mutate({ kind: 'msteams', name: 'teams', target: TEAMS });
    await admin.contacts.create.mutate({ kind: 'ntfy', name: 'ntfy', target: NTFY, secret: secrets.ntfyToken });
    await admin.contacts.create.mutate({ kind: 'pagerduty', name: 'pd', secret: secrets.routingKey });
    await admin.contacts.create.mutate({ kind: 'telegram', name: 'tg', target: '-1001234', secret: secrets.botToken });

    const seen = await viewer.contacts.list.query();
    const text = JSON.stringify(seen);
    for (const s of ['wfsecret1', 'teamssecret1', 'ntfysecrettopic1', 'workflows', ...Object.values(secrets)]) expect(text).not.toContain(s);
    const byKind = Object.fromEntries(seen.map((c) => [c.kind, [c.target, c.targetHidden, c.secretSet]]));
    expect(byKind).toMatchObject({
      msteams: ['http://127.0.0.1:9/•••', true, false],
      ntfy: ['http://127.0.0.1:9/•••', true, true],
      pagerduty: ['https://events.pagerduty.com/•••', true, true],
      telegram: ['-1001234', false, true],
    });
    const asAdmin = JSON.stringify(await admin.contacts.list.query());
    expect(asAdmin).toContain('teamssecret1');
    for (const s of Object.values(secrets)) expect(asAdmin).not.toContain(s);
  });
});
