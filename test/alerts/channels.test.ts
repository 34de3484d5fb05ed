import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchDue } from '../../src/alerts/dispatcher.js';
import { escapeMarkdownV2 } from '../../src/alerts/kinds/telegram.js';
import type { AlertEvent } from '../../src/alerts/payloads.js';
import { runCheck } from '../../src/checker/run.js';
import { alertContacts, auditLog, monitors } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';
import { startTarget } from '../support/target.js';
import { eventually, readMarkdownV2, requestsOf, startReceiver, type Hit } from './support.js';

/**
 * PagerDuty, Microsoft Teams, Telegram and ntfy: each kind's request, down and up, against its
 * service's documented format, received by a real server on 127.0.0.1 standing in for the service
 * (its host accepted only in test mode: ALERT_TEST_CHAT_HOSTS, ALERT_TEST_TELEGRAM_API); their
 * secrets sealed and never shown again; their URLs through the SSRF guard; the same outbox, retries
 * and give-up as every kind.
 */
let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let target: Awaited<ReturnType<typeof startTarget>>;
let now = Date.UTC(2026, 10, 20, 12, 0, 0);
const APP = 'http://app.test';
beforeAll(async () => {
  receiver = await startReceiver();
  target = await startTarget();
  t = await startTestApp({
    now: () => now,
    env: { ALERT_TEST_CHAT_HOSTS: '127.0.0.1', ALERT_TEST_TELEGRAM_API: receiver.base, APP_URL: APP },
  });
});
afterAll(async () => {
  await t.close();
  await receiver.close();
  await target.close();
});

const fast = { confirmDelayMs: 0 };
/** Every character MarkdownV2 reserves, and backslashes, in a monitor's name. */
const HOSTILE = 'Shop _*[]()~`>#+-=|{}.!\\ C:\\dir\\ end.';
const alnum = (n: number) => randomBytes(n).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(n, 'x').slice(0, n);
let seq = 0;

/** Fresh credentials as each service issues them, watched by the log scan. */
function credentials() {
  const c = { routingKey: alnum(32), botToken: `${100_000 + ++seq}:${alnum(35)}`, ntfyToken: `tk_${alnum(29)}` };
  Object.values(c).forEach(rememberSecret);
  return c;
}

/** An account with one contact of each new kind, and a monitor of the target alerting them. */
async function account(name = HOSTILE) {
  const c = await t.signUp();
  const creds = credentials();
  const n = ++seq;
  const teamsPath = `/workflows/wf${n}/triggers/manual/paths/invoke`;
  const topic = `vigil-alerts-${n}`;
  const chat = `-100${n}`;
  const pd = await c.contacts.create.mutate({ kind: 'pagerduty', name: 'on-call', target: `${receiver.base}/v2/enqueue`, secret: creds.routingKey });
  const teams = await c.contacts.create.mutate({ kind: 'msteams', name: 'teams', target: `${receiver.base}${teamsPath}?api-version=2016-06-01&sig=teamssig${n}` });
  const tg = await c.contacts.create.mutate({ kind: 'telegram', name: 'telegram', target: chat, secret: creds.botToken });
  const ntfy = await c.contacts.create.mutate({ kind: 'ntfy', name: 'phone', target: `${receiver.base}/${topic}`, secret: creds.ntfyToken });
  rememberSecret(`teamssig${n}`);
  target.always = 200;
  const m = await c.monitors.create.mutate({ name, url: target.url, paused: true });
  await t.svc.db.update(monitors).set({ paused: false }).where(eq(monitors.id, m.id));
  await runCheck(t.svc, m.id, fast);
  const hits = {
    pagerduty: () => receiver.at('/v2/enqueue').filter((h) => h.json.routing_key === creds.routingKey),
    msteams: () => receiver.hits.filter((h) => h.path.startsWith(teamsPath)),
    telegram: () => receiver.at(`/bot${creds.botToken}/sendMessage`),
    ntfy: () => receiver.at('/').filter((h) => h.json.topic === topic),
  };
  const all = () => Object.values(hits).reduce((sum, f) => sum + f().length, 0);
  return { c, m, creds, chat, contacts: { pd, teams, tg, ntfy }, hits, all };
}

/** The message Telegram shows: bold title, plain lines, and the link, each read back as Telegram parses it. */
function telegramMessage(hit: Hit) {
  const lines = String(hit.json.text).split('\n');
  const title = /^\*(.*)\*$/s.exec(lines[0]!)?.[1];
  const link = /^\[Open in Vigil\]\((.*)\)$/.exec(lines.at(-1)!)?.[1];
  expect(title, 'a bold title').toBeDefined();
  return {
    title: readMarkdownV2(title!),
    lines: lines.slice(1, link === undefined ? undefined : -1).map(readMarkdownV2),
    link: link?.replace(/\\([)\\])/g, '$1'),
  };
}

describe('PagerDuty, Teams, Telegram and ntfy', () => {
  it('down and up reach each service in its documented format; PagerDuty resolves the incident it triggered', async () => {
    const a = await account();
    target.always = 500;
    await runCheck(t.svc, a.m.id, fast);
    await receiver.waitFor(() => a.all() === 4);
    const link = `${APP}/monitors/${a.m.id}`;

    // PagerDuty Events API v2: a trigger keyed by the incident.
    const [pdDown] = a.hits.pagerduty();
    expect(pdDown!.headers['content-type']).toBe('application/json');
    const incidentId = String(pdDown!.json.dedup_key);
    expect(incidentId).toMatch(/^inc_/);
    expect(pdDown!.json).toMatchObject({
      routing_key: a.creds.routingKey,
      event_action: 'trigger',
      payload: {
        summary: `[Vigil] DOWN: ${HOSTILE} — HTTP 500`,
        source: '127.0.0.1',
        severity: 'critical',
        timestamp: new Date(now).toISOString(),
        component: HOSTILE,
        class: 'monitor.down',
        custom_details: { monitor: { id: a.m.id, name: HOSTILE, url: target.url }, incidentId, reason: 'HTTP 500', statusCode: 500 },
      },
      client: 'Vigil',
      client_url: link,
      links: [{ href: link, text: 'Open in Vigil' }],
    });

    // Teams: a message with one Adaptive Card.
    const [teamsDown] = a.hits.msteams();
    expect(teamsDown!.path).toContain('sig=teamssig');
    expect(teamsDown!.json).toMatchObject({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            // Words in TextRuns, which Teams shows as they are (a TextBlock's text is markdown).
            body: [
              { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: `[Vigil] DOWN: ${HOSTILE} — HTTP 500`, weight: 'Bolder', color: 'Attention' }] },
              { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: `${HOSTILE} (${target.url}) is down since ${new Date(now).toISOString()}.` }] },
              { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Reason: HTTP 500' }] },
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Open in Vigil', url: link }],
          },
        },
      ],
    });

    // Telegram: sendMessage with the bot's token in the path, MarkdownV2 that parses back to the words.
    const [tgDown] = a.hits.telegram();
    expect(tgDown!.json).toMatchObject({ chat_id: a.chat, parse_mode: 'MarkdownV2', link_preview_options: { is_disabled: true } });
    const shown = telegramMessage(tgDown!);
    expect(shown.title).toBe(`[Vigil] DOWN: ${HOSTILE} — HTTP 500`);
    expect(shown.lines).toEqual([`${HOSTILE} (${target.url}) is down since ${new Date(now).toISOString()}.`, 'Reason: HTTP 500']);
    expect(shown.link).toBe(link);

    // ntfy: JSON published to the server's root, naming the topic; urgent, with its tag; Bearer token.
    const [ntfyDown] = a.hits.ntfy();
    expect(ntfyDown!.headers.authorization).toBe(`Bearer ${a.creds.ntfyToken}`);
    expect(ntfyDown!.json).toMatchObject({
      title: `[Vigil] DOWN: ${HOSTILE} — HTTP 500`,
      message: expect.stringContaining('Reason: HTTP 500'),
      priority: 5,
      tags: ['rotating_light'],
      click: link,
      actions: [{ action: 'view', label: 'Open in Vigil', url: link }],
    });

    now += 300_000;
    target.always = 200;
    await runCheck(t.svc, a.m.id, fast);
    await receiver.waitFor(() => a.all() === 8);
    // The same dedup_key resolves PagerDuty's alert, and with it its incident.
    expect(a.hits.pagerduty()[1]!.json).toEqual({ routing_key: a.creds.routingKey, event_action: 'resolve', dedup_key: incidentId });
    expect(a.hits.msteams()[1]!.json.attachments).toMatchObject([
      { content: { body: [{ inlines: [{ text: `[Vigil] UP: ${HOSTILE} after 5m 0s`, color: 'Good' }] }, { inlines: [{ text: expect.stringContaining('after 5m 0s down') }] }] } },
    ]);
    expect(telegramMessage(a.hits.telegram()[1]!).title).toBe(`[Vigil] UP: ${HOSTILE} after 5m 0s`);
    expect(a.hits.ntfy()[1]!.json).toMatchObject({ title: `[Vigil] UP: ${HOSTILE} after 5m 0s`, priority: 3, tags: ['white_check_mark'] });

    const ours = new Set(Object.values(a.contacts).map((x) => x.id));
    await eventually(async () => {
      const { items } = await a.c.alerts.deliveries.query({ monitorId: a.m.id, limit: 50 });
      expect(items.filter((d) => ours.has(d.contactId)).map((d) => `${d.type}:${d.status}`).sort()).toEqual([
        ...Array(4).fill('monitor.down:delivered'),
        ...Array(4).fill('monitor.up:delivered'),
      ]);
    });
  });

  it('escapes every character MarkdownV2 reserves, and backslashes, wherever a name or reason appears', () => {
    for (const ch of '_*[]()~`>#+-=|{}.!\\') expect(readMarkdownV2(escapeMarkdownV2(`a${ch}b`))).toBe(`a${ch}b`);
    const NAME = '*bold* _it_ [x](http://evil.example) ||spoiler|| `code` \\*';
    const event: AlertEvent = {
      id: 'evt_1',
      type: 'monitor.down',
      createdAt: new Date(now),
      data: {
        monitor: { id: 'mon_1', name: NAME, kind: 'http', url: 'https://a.example/p_(1)?q=*' },
        reason: 'keyword "a.b!" not found',
        statusCode: 200,
        startedAt: now,
      },
    };
    const [req] = requestsOf('telegram', event, { appUrl: 'https://app.example/x_(y)', target: '@ops_channel', secret: '1:x' });
    const text = String(req!.json.text);
    const lines = text.split('\n');
    expect(readMarkdownV2(lines[0]!.slice(1, -1))).toBe(`[Vigil] DOWN: ${NAME} — keyword "a.b!" not found`);
    expect(readMarkdownV2(lines[1]!)).toBe(`${NAME} (https://a.example/p_(1)?q=*) is down since ${new Date(now).toISOString()}.`);
    // Inside a link's (…) only ) and \ are escaped.
    expect(lines.at(-1)).toBe('[Open in Vigil](https://app.example/x_(y\\)/monitors/mon_1)');
  });

  it('cuts PagerDuty’s summary to its documented 1024 characters, whatever the reason', () => {
    const event: AlertEvent = {
      id: 'evt_2',
      type: 'monitor.down',
      createdAt: new Date(now),
      data: { monitor: { id: 'mon_2', name: 'Long', kind: 'tcp', url: 'tcp://db.example:5432' }, incidentId: 'inc_2', reason: 'é'.repeat(5000), startedAt: now },
    };
    const [req] = requestsOf('pagerduty', event, { appUrl: APP, secret: 'k'.repeat(32) });
    expect(req!.url).toBe('https://events.pagerduty.com/v2/enqueue');
    expect([...String(req!.json.payload.summary)]).toHaveLength(1024);
    expect(req!.json.payload).toMatchObject({ source: 'db.example', group: 'tcp', severity: 'critical' });
  });

  it('contacts.test reaches each kind once; PagerDuty’s test triggers an info alert and resolves it at once', async () => {
    const a = await account('Quiet');
    for (const contact of Object.values(a.contacts)) await a.c.contacts.test.mutate({ id: contact.id });
    await receiver.waitFor(() => a.all() === 5);
    const [trigger, resolve] = a.hits.pagerduty();
    expect(trigger!.json).toMatchObject({ event_action: 'trigger', payload: { severity: 'info', summary: '[Vigil] Test alert', source: 'Vigil', class: 'test' } });
    expect(resolve!.json).toEqual({ routing_key: a.creds.routingKey, event_action: 'resolve', dedup_key: trigger!.json.dedup_key });
    expect(telegramMessage(a.hits.telegram()[0]!).title).toBe('[Vigil] Test alert');
    expect(a.hits.ntfy()[0]!.json).toMatchObject({ title: '[Vigil] Test alert', priority: 3 });
    expect(a.hits.msteams()[0]!.json.attachments).toMatchObject([{ content: { version: '1.4' } }]);
    await eventually(async () => {
      const { items } = await a.c.alerts.deliveries.query({ limit: 10 });
      expect(items.filter((d) => d.type === 'test').map((d) => d.status)).toEqual(Array(4).fill('delivered'));
    });
  });

  it('says in the delivery log why Telegram or PagerDuty refused, from their documented error bodies', async () => {
    const a = await account('Refused');
    receiver.replyAt(`/bot${a.creds.botToken}/sendMessage`, 400, JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: chat not found' }));
    await a.c.contacts.test.mutate({ id: a.contacts.tg.id });
    receiver.replyAt('/v2/enqueue', 400, JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: ["'routing_key' is invalid"] }));
    await a.c.contacts.test.mutate({ id: a.contacts.pd.id });
    await eventually(async () => {
      const { items } = await a.c.alerts.deliveries.query({ limit: 5 });
      expect(Object.fromEntries(items.map((d) => [d.contactId, [d.status, d.lastError]]))).toEqual({
        [a.contacts.tg.id]: ['failed', 'HTTP 400: Bad Request: chat not found'],
        [a.contacts.pd.id]: ['failed', "HTTP 400: 'routing_key' is invalid"],
      });
    });
  });

  it('seals every secret, shows it to no one after it is set, and keeps it out of the audit log', async () => {
    const a = await account('Sealed');
    const created = Object.values(a.contacts);
    expect(created.map((c) => [c.kind, c.secretSet, c.signingSecret])).toEqual([
      ['pagerduty', true, null],
      ['msteams', false, null],
      ['telegram', true, null],
      ['ntfy', true, null],
    ]);
    const secrets = [a.creds.routingKey, a.creds.botToken, a.creds.ntfyToken];
    const answers = JSON.stringify([created, await a.c.contacts.list.query()]);
    const rows = JSON.stringify(await t.svc.db.select().from(alertContacts));
    const audit = JSON.stringify(await t.svc.db.select().from(auditLog));
    for (const s of secrets) {
      expect(answers).not.toContain(s);
      expect(rows).not.toContain(s);
      expect(audit).not.toContain(s);
    }
    expect(audit).not.toContain('teamssig');
    // Replaced: the new key is used; an optional token removed: no Authorization at all.
    const key = alnum(32);
    rememberSecret(key);
    await a.c.contacts.update.mutate({ id: a.contacts.pd.id, secret: key });
    const ntfy = await a.c.contacts.update.mutate({ id: a.contacts.ntfy.id, secret: null });
    expect(ntfy.secretSet).toBe(false);
    await a.c.contacts.test.mutate({ id: a.contacts.pd.id });
    await a.c.contacts.test.mutate({ id: a.contacts.ntfy.id });
    await receiver.waitFor(() => a.hits.ntfy().length === 1 && receiver.at('/v2/enqueue').some((h) => h.json.routing_key === key));
    expect(a.hits.ntfy()[0]!.headers.authorization).toBeUndefined();
  });

  it('refuses what a kind does not take, by field; the plan limit counts every kind', async () => {
    const c = await t.signUp();
    const { routingKey, botToken } = credentials();
    const refusal = async (input: Record<string, unknown>) => {
      const error = await c.contacts.create.mutate({ name: 'x', ...input } as never).then(
        () => null,
        (e: { data?: { fieldErrors?: { path: string; message: string }[] } }) => e.data?.fieldErrors,
      );
      expect(error, JSON.stringify(input)).toHaveLength(1);
      return `${error![0]!.path}: ${error![0]!.message}`;
    };
    expect(await refusal({ kind: 'pagerduty' })).toBe('secret: the routing key is required');
    expect(await refusal({ kind: 'pagerduty', secret: 'short' })).toMatch(/^secret: must be an Events API v2 integration key/);
    expect(await refusal({ kind: 'pagerduty', secret: routingKey, target: 'https://events.pagerduty.com.evil.example/v2/enqueue' })).toMatch(/^target: must be PagerDuty/);
    expect(await refusal({ kind: 'telegram', target: 'my chat', secret: botToken })).toMatch(/^target: must be a Telegram chat id/);
    expect(await refusal({ kind: 'telegram', target: '-1001', secret: 'not-a-token' })).toMatch(/^secret: must be a bot token/);
    expect(await refusal({ kind: 'msteams', target: 'https://evil.example/workflows/a/triggers/manual/paths/invoke' })).toMatch(/^target: must be a Teams Workflows/);
    expect(await refusal({ kind: 'msteams', target: 'https://x.logic.azure.com/workflows/a/triggers/manual/paths/invoke', secret: 'x' })).toBe('secret: msteams contacts take no secret');
    expect(await refusal({ kind: 'ntfy', target: 'https://ntfy.sh/a/b?x=1' })).toMatch(/^target: must be an ntfy topic URL/);
    expect(await refusal({ kind: 'ntfy', target: 'https://ntfy.sh/alerts', secret: 'password' })).toMatch(/^secret: must be an ntfy access token/);
    expect(await refusal({ kind: 'webhook', target: 'https://example.com/hook', secret: 'whsec_mine' })).toMatch(/^secret: a webhook’s signing secret is made by Vigil/);
    expect(await refusal({ kind: 'email' })).toBe('target: target is required');

    // PagerDuty's target defaults to its US Events API (public: accepted here without the test host).
    const pd = await c.contacts.create.mutate({ kind: 'pagerduty', name: 'pd', secret: routingKey });
    expect(pd.target).toBe('https://events.pagerduty.com/v2/enqueue');
    await c.contacts.create.mutate({ kind: 'telegram', name: 'tg', target: '@vigil_ops', secret: botToken });
    await c.contacts.create.mutate({ kind: 'ntfy', name: 'n1', target: 'https://ntfy.sh/alerts-1' });
    await c.contacts.create.mutate({ kind: 'msteams', name: 'teams', target: 'https://prod-01.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x' });
    // Free: 5 contacts, the account's own address included.
    await expect(c.contacts.create.mutate({ kind: 'ntfy', name: 'n2', target: 'https://ntfy.sh/alerts-2' })).rejects.toMatchObject({
      data: { appCode: 'LIMIT', limit: { plan: 'free', limit: 5, current: 5 } },
    });
  });

  it('sends Teams and ntfy only through the SSRF guard: private and metadata addresses refused at create and at send', async () => {
    const a = await account('Guarded');
    // Metadata addresses are refused even where private targets are allowed (here, and locally).
    for (const [kind, url] of [
      ['ntfy', 'http://169.254.169.254/latest'],
      ['ntfy', 'http://[fd00:ec2::254]/topic'],
      ['msteams', 'http://169.254.169.254/workflows/a/triggers/manual/paths/invoke'],
    ] as const) {
      await expect(a.c.contacts.create.mutate({ kind, name: 'x', target: url }), url).rejects.toMatchObject({ data: { appCode: 'BAD_INPUT', fieldErrors: [{ path: 'target' }] } });
    }
    t.svc.config.allowPrivateTargets = false;
    try {
      // The test host passes Teams' host rule, and the SSRF guard still refuses its loopback address.
      for (const [kind, url] of [
        ['msteams', `${receiver.base}/workflows/b/triggers/manual/paths/invoke`],
        ['ntfy', 'https://10.0.0.5/alerts'],
        ['ntfy', `${receiver.base}/alerts`],
      ] as const) {
        await expect(a.c.contacts.create.mutate({ kind, name: 'x', target: url }), url).rejects.toMatchObject({
          data: { fieldErrors: [{ path: 'target', message: expect.stringContaining('private or loopback address') }] },
        });
      }
      // At send time too: the contacts made while private targets were allowed are refused now.
      await a.c.contacts.test.mutate({ id: a.contacts.teams.id });
      await a.c.contacts.test.mutate({ id: a.contacts.ntfy.id });
      await eventually(async () => {
        const { items } = await a.c.alerts.deliveries.query({ limit: 5 });
        expect(items.filter((d) => d.type === 'test').map((d) => [d.status, d.lastError])).toEqual(Array(2).fill(['failed', 'blocked: private address 127.0.0.1']));
      });
    } finally {
      t.svc.config.allowPrivateTargets = true;
    }
    expect(a.hits.msteams()).toEqual([]);
    expect(a.hits.ntfy()).toEqual([]);
  });

  it('gives up on a receiver down for a day, for every new kind, as for the others', async () => {
    const a = await account('Unreachable');
    receiver.always = 503;
    try {
      target.always = 500;
      const eventAt = now;
      await runCheck(t.svc, a.m.id, fast);
      const ours = new Set(Object.values(a.contacts).map((x) => x.id));
      const deliveries = async () => (await a.c.alerts.deliveries.query({ monitorId: a.m.id, limit: 10 })).items.filter((d) => ours.has(d.contactId));
      await eventually(async () => expect((await deliveries()).map((d) => d.attempts)).toEqual([1, 1, 1, 1]));
      for (let i = 0; i < 40; i++) {
        const pending = (await deliveries()).filter((d) => d.status === 'pending');
        if (pending.length === 0) break;
        now = Math.max(now, Math.min(...pending.map((d) => Date.parse(d.nextAttemptAt!))));
        await dispatchDue(t.svc);
      }
      const done = await deliveries();
      expect(done.map((d) => [d.status, d.lastError])).toEqual(Array(4).fill(['failed', 'HTTP 503']));
      for (const d of done) {
        expect(d.attempts).toBeGreaterThanOrEqual(8);
        expect(d.attempts).toBeLessThanOrEqual(11);
        expect(Date.parse(d.history.at(-1)!.attemptedAt) - eventAt).toBeGreaterThanOrEqual(86_400_000);
      }
      console.log(`[figures] give-up after a day of 503s, attempts per new kind: ${done.map((d) => d.attempts).join(', ')}`);
    } finally {
      receiver.always = 200;
    }
  });
});
