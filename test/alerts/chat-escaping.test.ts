import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/alerts/payloads.js';
import { runCheck } from '../../src/checker/run.js';
import { rememberSecret } from '../support/ledger.js';
import { alertWorld, readDiscord, readMarkdownV2, requestsOf, type DiscordBody, type Hit } from './support.js';

/**
 * A stranger's words in a chat alert: a monitor's name (and its URL, and a failure's reason) is
 * whatever its owner typed, or whatever an invited member or a partner's API client typed. In every
 * chat kind it must arrive as the words it is, never as markup: no masked link, no mention that
 * pings a channel, no formatting. Each message is read back as the service reads it, received by a
 * real server on 127.0.0.1 standing in for Slack, Discord, Teams and Telegram.
 */
const now = Date.UTC(2026, 10, 20, 12, 0, 0);
const w = alertWorld(() => now, (receiver) => ({ ALERT_TEST_CHAT_HOSTS: '127.0.0.1', ALERT_TEST_TELEGRAM_API: receiver.base, APP_URL: 'http://app.test' }));

/** A masked link, mentions of every kind each service knows, and its formatting. */
const NAME = '[click](https://evil.test) **@everyone** <!channel> <@&1> @here ||x|| `c` _i_ ~~s~~';
/** The monitor's URL can carry the same: the path keeps [ ] ( ) * @ as typed. */
const PATH = '/[pay](https://evil.test/pay)**@everyone**';
const REASON = '<!here> [log in](https://evil.test/login) *now* @everyone';

describe('chat messages show what users wrote as text', () => {
  it('Slack, Discord, Teams and Telegram each receive a hostile name and URL as plain words, with no link or mention of the stranger’s', async () => {
    const c = await w.t.signUp();
    const teamsPath = '/workflows/wf-escape/triggers/manual/paths/invoke';
    await c.contacts.create.mutate({ kind: 'slack', name: 'slack', target: `${w.receiver.base}/services/T0esc/B0/xyz` });
    await c.contacts.create.mutate({ kind: 'discord', name: 'discord', target: `${w.receiver.base}/api/webhooks/1/esc` });
    await c.contacts.create.mutate({ kind: 'msteams', name: 'teams', target: `${w.receiver.base}${teamsPath}?sig=escsig` });
    const botToken = '424242:AAescapeescapeescapeescapeescape00000';
    rememberSecret(botToken);
    rememberSecret('escsig');
    await c.contacts.create.mutate({ kind: 'telegram', name: 'telegram', target: '-100777', secret: botToken });
    w.target.always = 200;
    const m = await w.liveMonitor(c, { name: NAME, url: w.target.url + PATH });
    await runCheck(w.t.svc, m.id, { confirmDelayMs: 0 });
    w.target.always = 500;
    await runCheck(w.t.svc, m.id, { confirmDelayMs: 0 });
    const hit = (prefix: string) => w.receiver.hits.find((h) => h.path.startsWith(prefix));
    await w.receiver.waitFor(() => ['/services/T0esc/', '/api/webhooks/1/esc', teamsPath, `/bot${botToken}/`].every((p) => hit(p)));
    const url = (await c.monitors.get.query({ id: m.id })).url!;
    expect(url).toContain('[pay](https://evil.test/pay)**@everyone**');
    const words = { title: `[Vigil] DOWN: ${NAME} — HTTP 500`, line: `${NAME} (${url}) is down since ${new Date(now).toISOString()}.` };

    const slack = slackMessage(hit('/services/T0esc/')!);
    expect(slack.text).toBe(words.title);
    expect(slack.section).toEqual([words.title, words.line, 'Reason: HTTP 500']);
    expect(slack.links).toEqual([`http://app.test/monitors/${m.id}|Open in Vigil`]);

    const discord = hit('/api/webhooks/1/esc')!.json as DiscordBody;
    // No @everyone, @here, role or user ping, whatever the text says.
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    const content = readDiscord(discord.content);
    expect(content).toEqual({ text: words.title, links: [] });
    expect(readDiscord(discord.embeds[0]!.title)).toEqual({ text: words.title.replace('[Vigil] ', ''), links: [] });
    // The monitor's URL is a link to itself, its text the URL: its brackets are never a masked link.
    expect(readDiscord(discord.embeds[0]!.description)).toEqual({ text: `${words.line}\nReason: HTTP 500`, links: [url] });
    expect(discord.embeds[0]!.url).toBe(`http://app.test/monitors/${m.id}`);

    const card = teamsCard(hit(teamsPath)!);
    expect(card.texts).toEqual([words.title, words.line, 'Reason: HTTP 500']);
    expect(card.links).toEqual([`http://app.test/monitors/${m.id}`]);

    const tg = hit(`/bot${botToken}/`)!.json as { text: string; parse_mode: string };
    expect(tg.parse_mode).toBe('MarkdownV2');
    const tgLines = tg.text.split('\n');
    expect(readMarkdownV2(tgLines[0]!.slice(1, -1))).toBe(words.title);
    expect(readMarkdownV2(tgLines[1]!)).toBe(words.line);
    expect(tgLines.at(-1)).toBe(`[Open in Vigil](http://app.test/monitors/${m.id})`);
  });

  it('a failure’s reason is words too, in every chat kind', () => {
    const event: AlertEvent = {
      id: 'evt_esc',
      type: 'monitor.down',
      createdAt: new Date(now),
      data: { monitor: { id: 'mon_esc', name: NAME, kind: 'http', url: 'https://a.example/p' }, reason: REASON, statusCode: 200, startedAt: now },
    };
    const appUrl = 'https://app.example';
    const title = `[Vigil] DOWN: ${NAME} — ${REASON}`;
    const reasonLine = `Reason: ${REASON} (HTTP 200)`;
    const body = (kind: 'slack' | 'discord' | 'msteams' | 'telegram', target?: string, secret?: string) => ({
      path: '',
      headers: {},
      body: '',
      json: requestsOf(kind, event, { appUrl, target, secret })[0]!.json as Hit['json'],
    });

    const slack = slackMessage(body('slack'));
    expect([slack.text, slack.section[0], slack.section[2]]).toEqual([title, title, reasonLine]);
    const discord = body('discord').json as DiscordBody;
    expect(readDiscord(discord.content).text).toBe(title);
    expect(readDiscord(discord.embeds[0]!.description)).toEqual({ text: `${NAME} (https://a.example/p) is down since ${new Date(now).toISOString()}.\n${reasonLine}`, links: ['https://a.example/p'] });
    expect(teamsCard(body('msteams')).texts).toEqual([title, `${NAME} (https://a.example/p) is down since ${new Date(now).toISOString()}.`, reasonLine]);
    const tg = String(body('telegram', '-1001', '1:x').json.text).split('\n');
    expect([readMarkdownV2(tg[0]!.slice(1, -1)), readMarkdownV2(tg[2]!)]).toEqual([title, reasonLine]);
  });
});

/** Slack's mrkdwn as Slack reads it: `&lt; &gt; &amp;` are text; any raw `<` opens a link or a mention (@channel, @here). */
function slackMessage(hit: Hit) {
  const body = hit.json as { text: string; blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[] };
  const read = (s: string) => {
    expect(s, 'no raw < or > in what users wrote').not.toMatch(/[<>]/);
    return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  };
  const section = body.blocks.find((b) => b.type === 'section')!.text!.text.split('\n');
  const title = /^\*(.*)\*$/.exec(section[0]!)?.[1];
  expect(title, 'a bold title').toBeDefined();
  const links = body.blocks.filter((b) => b.type === 'context').flatMap((b) => b.elements!.map((e) => /^<([^<>]+)>$/.exec(e.text)![1]!));
  return { text: read(body.text), section: [read(title!), ...section.slice(1).map(read)], links };
}

/**
 * Teams renders a TextBlock's text as markdown (links, emphasis, lists) and a TextRun's as it is:
 * every piece of the card that carries words must be a TextRun; the only link is the card's action.
 */
function teamsCard(hit: Hit) {
  type Element = { type: string; text?: string; inlines?: { type: string; text: string }[] };
  const card = (hit.json.attachments as { content: { body: Element[]; actions?: { url: string }[] } }[])[0]!.content;
  const texts: string[] = [];
  for (const el of card.body) {
    expect(el.type, 'words only in a RichTextBlock').toBe('RichTextBlock');
    for (const inline of el.inlines!) {
      expect(inline.type).toBe('TextRun');
      texts.push(inline.text);
    }
  }
  return { texts, links: (card.actions ?? []).map((a) => a.url) };
}

