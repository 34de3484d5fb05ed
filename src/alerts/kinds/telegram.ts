import { summarise } from '../payloads.js';
import { json, type HttpContactKind } from './kind.js';
import { stringField, truncate } from './pagerduty.js';

/**
 * Every character MarkdownV2 reserves outside code and links (core.telegram.org/bots/api,
 * "MarkdownV2 style"), and the backslash that escapes them: each is sent escaped, or the whole
 * message is refused ("can't parse entities") and the alert lost.
 */
const RESERVED = /[_*[\]()~`>#+\-=|{}.!\\]/g;
export const escapeMarkdownV2 = (text: string): string => text.replace(RESERVED, '\\$&');
/** Inside a link's (…) only `)` and `\` must be escaped. */
const escapeLinkUrl = (url: string): string => url.replace(/[)\\]/g, '\\$&');

/** Telegram's limit is 4096 characters per message; each line is cut well within it before escaping (an escape is never cut in half). */
const LINE_MAX = 1000;

/**
 * Telegram through a bot: the target is the chat id (a number, negative for groups, or a public
 * channel's @username) and the secret the bot's token. One `sendMessage` with `parse_mode:
 * MarkdownV2`: the title in bold, the lines, and a link to the monitor. The token is part of the
 * URL Telegram documents, so the URL is never logged or stored.
 */
export const telegramKind: HttpContactKind = {
  name: 'telegram',
  transport: 'http',
  target: 'chat',
  secret: 'required',
  secretLabel: 'bot token',
  verifiedByCode: false,
  targetProblem: (_config, target) =>
    /^-?\d{1,20}$/.test(target) || /^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(target)
      ? null
      : 'must be a Telegram chat id (a number such as -1001234567890) or a public channel’s @username',
  secretProblem: (token) => (/^\d{1,20}:[A-Za-z0-9_-]{30,100}$/.test(token) ? null : 'must be a bot token from @BotFather (123456789:AA…)'),
  // {"ok":false,"error_code":400,"description":"Bad Request: chat not found"}
  refusalOf: (body) => stringField(body, 'description'),
  requests(event, { appUrl, config, target, secret }) {
    const s = summarise(event, appUrl);
    const lines = [
      `*${escapeMarkdownV2(truncate(`[Vigil] ${s.title}`, LINE_MAX))}*`,
      ...s.lines.map((l) => escapeMarkdownV2(truncate(l, LINE_MAX))),
      ...(s.link ? [`[Open in Vigil](${escapeLinkUrl(s.link)})`] : []),
    ];
    const url = new URL(`${config.telegramApiOrigin}/bot${secret ?? ''}/sendMessage`);
    return [
      json(url, {
        chat_id: target,
        text: lines.join('\n'),
        parse_mode: 'MarkdownV2',
        link_preview_options: { is_disabled: true },
      }),
    ];
  },
};
