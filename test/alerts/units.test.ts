import { describe, expect, it } from 'vitest';
import { certThreshold } from '../../src/alerts/outbox.js';
import { formatDuration } from '../../src/alerts/payloads.js';
import { GIVE_UP_AFTER_MS, nextAttemptAt, RETRY_DELAYS_MS } from '../../src/alerts/retry.js';
import { alertKeyring, newWebhookSecret, open, seal } from '../../src/alerts/secret-box.js';
import { urlTargetProblem } from '../../src/alerts/targets.js';
import { rememberSecret } from '../support/ledger.js';

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

describe('sealed webhook secrets', () => {
  const ring = alertKeyring('a-service-secret-that-is-32-bytes-long!!');
  it('round-trips, bound to its contact, under a key id that can rotate', () => {
    const secret = newWebhookSecret();
    rememberSecret(secret);
    const sealed = seal(ring, secret, 'ct_a');
    expect(sealed).toMatch(/^k1:/);
    expect(sealed).not.toContain(secret.slice(6));
    expect(open(ring, sealed, 'ct_a')).toBe(secret);
    expect(() => open(ring, sealed, 'ct_b')).toThrow(); // moved to another contact's row
    expect(() => open(alertKeyring('another-service-secret-of-32-bytes-long!'), sealed, 'ct_a')).toThrow();
    expect(() => open(ring, sealed.replace(/^k1:/, 'k9:'), 'ct_a')).toThrow(/no key k9/);
    const [iv, body, tag] = sealed.slice(3).split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => open(ring, `k1:${iv}.${flipped.toString('base64url')}.${tag}`, 'ct_a')).toThrow();
  });
});

describe('chat webhook targets', () => {
  const config = { allowPrivateTargets: false, chatWebhookTestHosts: [] };
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
