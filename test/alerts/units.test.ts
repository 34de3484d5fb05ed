import { describe, expect, it } from 'vitest';
import { certThreshold } from '../../src/alerts/outbox.js';
import { contactKind } from '../../src/alerts/kinds/index.js';
import { formatDuration } from '../../src/alerts/payloads.js';
import { GIVE_UP_AFTER_MS, nextAttemptAt, RETRY_DELAYS_MS } from '../../src/alerts/retry.js';
import { newWebhookSecret } from '../../src/alerts/contacts/signing-secret.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { rememberSecret } from '../support/ledger.js';
import { bodyOf } from './support.js';

const T0 = Date.UTC(2026, 10, 20, 12);
const DAY = 86_400_000;

describe('retry schedule', () => {
  it('backs off about 30 s, 2 min, 10 min, 30 min, 2 h, then 6 h, within ±20 % jitter', () => {
    for (const [i, base] of RETRY_DELAYS_MS.entries()) {
      expect(nextAttemptAt(i + 1, T0, T0, () => 0)! - T0).toBe(base * 0.8);
      expect(nextAttemptAt(i + 1, T0, T0, () => 0.5)! - T0).toBe(base);
      expect(nextAttemptAt(i + 1, T0, T0, () => 0.999_999)! - T0).toBeLessThanOrEqual(base * 1.2);
    }
    expect(nextAttemptAt(12, T0, T0, () => 0.5)! - T0).toBe(6 * 3_600_000);
  });

  it('lands the last attempt on the 24 h deadline and gives up after it', () => {
    expect(nextAttemptAt(7, T0 + GIVE_UP_AFTER_MS - 60_000, T0, () => 0.5)).toBe(T0 + GIVE_UP_AFTER_MS);
    expect(nextAttemptAt(8, T0 + GIVE_UP_AFTER_MS, T0)).toBeNull();
  });
});

describe('certificate thresholds', () => {
  it('is the tightest of 14, 7 and 1 days that the expiry is within, or none', () => {
    expect(certThreshold(T0 + 20 * DAY, T0)).toBeNull();
    expect(certThreshold(T0 + 14 * DAY, T0)).toBe(14);
    expect(certThreshold(T0 + 8 * DAY, T0)).toBe(14);
    expect(certThreshold(T0 + 7 * DAY, T0)).toBe(7);
    expect(certThreshold(T0 + 2 * 3_600_000, T0)).toBe(1);
    expect(certThreshold(T0 - 1, T0)).toBeNull(); // expired: the probe fails instead
  });
});

describe('sealed webhook secrets (the one secret box, src/crypto/secret-box.ts)', () => {
  const box = createSecretBox(['a-service-secret-that-is-32-bytes-long!!']);
  it('round-trips, bound to its contact, under a key id that can rotate', () => {
    const secret = newWebhookSecret();
    rememberSecret(secret);
    const sealed = box.seal(secret, 'ct_a');
    expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]{8}:/);
    expect(sealed).not.toContain(secret.slice(6));
    expect(box.open(sealed, 'ct_a')).toBe(secret);
    expect(() => box.open(sealed, 'ct_b')).toThrow(); // moved to another contact's row
    expect(() => box.open(sealed)).toThrow(); // or to a field not bound to a contact
    expect(() => createSecretBox(['another-service-secret-of-32-bytes-long!']).open(sealed, 'ct_a')).toThrow(/unknown key id/);
    // A rotation keeps it readable: the new secret seals, the old one still opens.
    expect(createSecretBox(['another-service-secret-of-32-bytes-long!', 'a-service-secret-that-is-32-bytes-long!!']).open(sealed, 'ct_a')).toBe(secret);
    const [v, kid, iv, body, tag] = sealed.split(':') as [string, string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0]! ^= 1;
    expect(() => box.open([v, kid, iv, flipped.toString('base64url'), tag].join(':'), 'ct_a')).toThrow();
  });
});

describe('chat webhook targets', () => {
  const config = { allowPrivateTargets: false, chatWebhookTestHosts: [], telegramApiOrigin: 'https://api.telegram.org' };
  const urlTargetProblem = (c: typeof config, kind: 'slack' | 'discord' | 'webhook', url: string) => contactKind(kind).targetProblem(c, url);
  it('accepts Slack and Discord webhook URLs and nothing that merely looks like them', () => {
    expect(urlTargetProblem(config, 'slack', 'https://hooks.slack.com/services/T000/B000/XXXX')).toBeNull();
    expect(urlTargetProblem(config, 'discord', 'https://discord.com/api/webhooks/123/abc')).toBeNull();
    expect(urlTargetProblem(config, 'discord', 'https://discordapp.com/api/webhooks/123/abc')).toBeNull();
    for (const [kind, url] of [
      ['slack', 'https://hooks.slack.com.evil.example/services/T/B/X'],
      ['slack', 'https://hooks.slack.com/services/T/B'],
      ['slack', 'https://user:pw@hooks.slack.com/services/T/B/X'],
      ['discord', 'https://discord.com/api/webhooks/abc/def'],
      ['discord', 'http://discord.com/api/webhooks/1/abc'],
      ['webhook', 'ftp://example.com/x'],
    ] as const) {
      expect(urlTargetProblem(config, kind, url), url).not.toBeNull();
    }
  });
});

it('formats durations for people', () => {
  expect([45, 300, 312, 7500, 97_200].map(formatDuration)).toEqual(['45s', '5m 0s', '5m 12s', '2h 5m', '1d 3h']);
});

describe('chat payloads', () => {
  const down = {
    id: 'evt_1',
    type: 'monitor.down' as const,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    data: { monitor: { id: 'mon_1', name: '<!channel> R&D <https://evil.example|log in>', url: 'https://a.example' }, reason: 'timeout', startedAt: 0 },
  };

  it("escapes Slack's fallback text as its blocks: a monitor name cannot ping the channel or smuggle a link", () => {
    const body = bodyOf('slack', down, 'https://app.example') as { text: string; blocks: { text?: { text: string } }[] };
    // The fallback text is what notifications and some clients show: Slack parses it like mrkdwn.
    expect(body.text).toBe('[Vigil] DOWN: &lt;!channel&gt; R&amp;D &lt;https://evil.example|log in&gt; — timeout');
    expect(body.blocks[0]!.text!.text).toContain('&lt;!channel&gt; R&amp;D');
    for (const text of [body.text, body.blocks[0]!.text!.text]) expect(text).not.toMatch(/<!channel>|<https:\/\/evil/);
  });
});
