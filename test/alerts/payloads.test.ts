import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/alerts/payloads.js';
import { recordCheck } from '../../src/checker/record.js';
import type { ProbeResult } from '../../src/probes/result.js';
import { alertEvents, monitors } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';
import { bodyOf, mailOf, readDiscord, type DiscordBody } from './support.js';

/**
 * Every alert, in every format, for every kind of monitor: the events are written by the real
 * outbox (a down and an up recorded through recordCheck, a certificate warning, a contact's test),
 * then rendered as the notifier sends them. What a person reads must name the monitor and what it
 * watches, say the reason once, and match what the API shows (a heartbeat's url is null).
 */
const APP = 'https://app.vigil.example';
const T0 = Date.UTC(2026, 10, 20, 12, 0);
let now = T0;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: () => now });
});
afterAll(() => t.close());

type Kind = 'http' | 'tcp' | 'heartbeat';
type Case = { kind: Kind; name: string; apiUrl: string | null; shown: string; failure: ProbeResult; reasonLine: string; title: string };
const failure = (reason: string, statusCode: number | null = null): ProbeResult => ({ ok: false, statusCode, responseTimeMs: 0, reason, certExpiresAt: null });
const CASES: Case[] = [
  {
    kind: 'http', name: 'Shop', apiUrl: 'http://127.0.0.1:9/health', shown: 'Shop (http://127.0.0.1:9/health)',
    failure: failure('HTTP 500', 500), reasonLine: 'Reason: HTTP 500', title: 'DOWN: Shop — HTTP 500',
  },
  {
    kind: 'http', name: 'Search', apiUrl: 'http://127.0.0.1:9/search', shown: 'Search (http://127.0.0.1:9/search)',
    // A reason that does not say the code gets it appended.
    failure: failure('keyword "results" not found', 200), reasonLine: 'Reason: keyword "results" not found (HTTP 200)', title: 'DOWN: Search — keyword "results" not found',
  },
  {
    kind: 'tcp', name: 'Database', apiUrl: 'tcp://127.0.0.1:5432', shown: 'Database (tcp://127.0.0.1:5432)',
    failure: failure('connection refused'), reasonLine: 'Reason: connection refused', title: 'DOWN: Database — connection refused',
  },
  {
    kind: 'heartbeat', name: 'Nightly backup', apiUrl: null, shown: 'Nightly backup (heartbeat)',
    failure: failure('ping reported failure'), reasonLine: 'Reason: ping reported failure', title: 'DOWN: Nightly backup — ping reported failure',
  },
];

/** A monitor of the case's kind whose scheduler timer is gone, so only this test records its checks. */
async function monitorFor(c: Awaited<ReturnType<TestApp['signUp']>>, k: Case) {
  const m =
    k.kind === 'http'
      ? await c.monitors.create.mutate({ name: k.name, url: k.apiUrl!, paused: true })
      : k.kind === 'tcp'
        ? await c.monitors.create.mutate({ kind: 'tcp', name: k.name, host: '127.0.0.1', port: 5432, paused: true })
        : await c.monitors.create.mutate({ kind: 'heartbeat', name: k.name, paused: true });
  if (m.pingUrl) rememberSecret(m.pingUrl.split('/').pop());
  await t.svc.db.update(monitors).set({ paused: false }).where(eq(monitors.id, m.id));
  await t.scheduler.remove(m.id);
  expect(m.url).toBe(k.apiUrl);
  return m;
}

const row = async (id: string) => (await t.svc.db.select().from(monitors).where(eq(monitors.id, id)).get())!;
const eventsOf = async (monitorId: string): Promise<AlertEvent[]> =>
  (await t.svc.db.select().from(alertEvents).where(eq(alertEvents.monitorId, monitorId)).orderBy(alertEvents.createdAt)).map((e) => ({
    id: e.id, type: e.type, data: e.data as Record<string, unknown>, createdAt: e.createdAt,
  }));

/** Every format of one event, as a person reads it: the email's subject and text, Slack's and Discord's text. */
function rendered(e: AlertEvent) {
  const mail = mailOf(e, APP, 'ops@example.com');
  const slack = bodyOf('slack', e, APP) as { text: string; blocks: { text?: { text: string } }[] };
  // Discord's as Discord shows it (its markdown escapes read back).
  const raw = bodyOf('discord', e, APP) as DiscordBody;
  const discord = {
    content: readDiscord(raw.content).text,
    embeds: raw.embeds.map((x) => ({ ...x, title: readDiscord(x.title).text, description: readDiscord(x.description).text })),
  };
  return {
    mail,
    slack,
    discord,
    webhook: bodyOf('webhook', e, APP) as { type: string; data: { monitor?: Record<string, unknown> } & Record<string, unknown> },
    texts: [mail.subject, mail.text, mail.html, slack.text, slack.blocks[0]!.text!.text, discord.content, discord.embeds[0]!.title, discord.embeds[0]!.description],
  };
}

describe.each(CASES)('$kind monitor "$name": monitor.down and monitor.up in every format', (k) => {
  it('names the monitor and what it watches, gives the reason once, and carries the url as the API shows it', async () => {
    const c = await t.signUp();
    const m = await monitorFor(c, k);
    now += 60_000;
    const downAt = now;
    await recordCheck(t.svc, await row(m.id), k.failure, now);
    now += 5 * 60_000;
    await recordCheck(t.svc, await row(m.id), { ok: true, statusCode: k.kind === 'http' ? 200 : null, responseTimeMs: 5, reason: null, certExpiresAt: null }, now);
    const [down, up] = await eventsOf(m.id);
    expect([down?.type, up?.type]).toEqual(['monitor.down', 'monitor.up']);

    const d = rendered(down!);
    const since = new Date(downAt).toISOString();
    expect(d.mail.subject).toBe(`[Vigil] ${k.title}`);
    expect(d.mail.text.split('\n')).toEqual([`${k.shown} is down since ${since}.`, k.reasonLine, '', `Open in Vigil: ${APP}/monitors/${m.id}`]);
    expect(d.slack.text).toBe(`[Vigil] ${k.title}`);
    expect(d.discord.embeds[0]).toMatchObject({ title: k.title, description: `${k.shown} is down since ${since}.\n${k.reasonLine}`, url: `${APP}/monitors/${m.id}` });
    expect(d.webhook).toMatchObject({ type: 'monitor.down', data: { monitor: { id: m.id, name: k.name, kind: k.kind, url: k.apiUrl }, startedAt: since } });

    const u = rendered(up!);
    expect(u.mail.subject).toBe(`[Vigil] UP: ${k.name} after 5m 0s`);
    expect(u.mail.text.split('\n')[0]).toBe(`${k.shown} is up again at ${new Date(now).toISOString()}, after 5m 0s down.`);
    expect(u.discord.embeds[0]!.description).toBe(u.mail.text.split('\n')[0]);
    expect(u.webhook).toMatchObject({ type: 'monitor.up', data: { monitor: { kind: k.kind, url: k.apiUrl }, durationSeconds: 300 } });

    for (const text of [...d.texts, ...u.texts]) {
      expect(text).not.toMatch(/(^|\n|>) /); // no line starts with a blank where a name belongs
      expect(text).not.toMatch(/\(HTTP (\d+)\) \(HTTP \1\)|HTTP (\d+) \(HTTP \2\)/);
      expect(text).not.toContain('undefined');
      expect(text).not.toContain('null');
    }
  });
});

describe('the other events in every format', () => {
  it('certificate.expiring names the monitor and its URL', async () => {
    const c = await t.signUp();
    const m = await monitorFor(c, CASES[0]!);
    const certExpiresAt = new Date(now + 6 * 86_400_000);
    await recordCheck(t.svc, await row(m.id), { ok: true, statusCode: 200, responseTimeMs: 5, reason: null, certExpiresAt }, now);
    const [cert] = await eventsOf(m.id);
    const r = rendered(cert!);
    expect(r.mail.subject).toBe('[Vigil] Certificate expires in 6 days: Shop');
    expect(r.mail.text.split('\n')[0]).toBe(`The TLS certificate of Shop (http://127.0.0.1:9/health) expires at ${certExpiresAt.toISOString()}. Renew it before then.`);
    expect(r.discord.embeds[0]!.description).toBe(r.mail.text.split('\n')[0]);
    expect(r.webhook).toMatchObject({ type: 'certificate.expiring', data: { monitor: { kind: 'http', url: 'http://127.0.0.1:9/health' }, thresholdDays: 7, daysLeft: 6 } });
  });

  it('a contact test says what it is, with no monitor and no link, in every format', async () => {
    const c = await t.signUp();
    const hook = await c.contacts.create.mutate({ kind: 'webhook', name: 'ops', target: 'https://hooks.example.com/x' });
    rememberSecret(hook.signingSecret);
    await c.contacts.test.mutate({ id: hook.id });
    const [e] = (await t.svc.db.select().from(alertEvents).where(eq(alertEvents.type, 'test'))).filter((x) => JSON.stringify(x.data).includes(hook.id));
    const r = rendered({ id: e!.id, type: 'test', data: e!.data as Record<string, unknown>, createdAt: e!.createdAt });
    expect(r.mail.subject).toBe('[Vigil] Test alert');
    expect(r.mail.text).toBe('This is a test alert from Vigil: this contact receives alerts.\n');
    expect(r.slack.blocks).toHaveLength(1); // no "Open in Vigil" context
    expect(r.discord.embeds[0]).not.toHaveProperty('url');
    expect(r.webhook).toMatchObject({ type: 'test', data: { contact: { id: hook.id, name: 'ops' } } });
  });

  it('an event stored before heartbeats carried url null still reads as a heartbeat, and its webhook says null', () => {
    const old: AlertEvent = {
      id: 'evt_old', type: 'monitor.down', createdAt: new Date(T0),
      data: { monitor: { id: 'mon_1', name: 'Cron', url: '' }, incidentId: 'inc_1', startedAt: T0, reason: 'no ping within 360 s', statusCode: null },
    };
    expect(mailOf(old, APP, 'a@example.com').text.split('\n')[0]).toBe(`Cron (heartbeat) is down since ${new Date(T0).toISOString()}.`);
    expect(bodyOf('webhook', old, APP).data.monitor.url).toBeNull();
  });
});
