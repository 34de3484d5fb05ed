import { summarise, type UserText } from '../payloads.js';
import { json, type HttpContactKind } from './kind.js';
import { hostIn, urlProblem, type ServiceUrlRule } from './url-rule.js';

const DISCORD: ServiceUrlRule = {
  hosts: hostIn(['discord.com', 'discordapp.com']),
  path: /^\/api\/webhooks\/\d+\/[^/]+$/,
  refusal: 'must be a Discord webhook URL (https://discord.com/api/webhooks/…)',
};

/**
 * Discord's markdown (masked links, mentions, emphasis, spoilers, code, timestamps): a backslash
 * before any punctuation shows it as it is. Headings, lists and quotes only start a line.
 */
const ACTIVE = /[\\*_~`|[\]()<>@#:]|^[-+]/gm;
export const escapeDiscord = (text: string): string => text.replace(ACTIVE, '\\$&');

/**
 * What users wrote, as words: escaped; a web address between <…>, which Discord shows as a link to
 * itself and does not parse inside (escaping it instead would put backslashes in the link).
 */
const USER_TEXT: UserText = {
  text: escapeDiscord,
  url: (url) => (/^https?:\/\/[^\s<>]+$/.test(url) ? `<${url}>` : escapeDiscord(url)),
};

/**
 * A Discord webhook: `{ content, embeds: [{ title, description, color, timestamp, url }] }`.
 * Discord shows `&amp;` literally, so nothing is entity-escaped; markdown is, and mentions are
 * switched off by allowed_mentions.
 */
export const discordKind: HttpContactKind = {
  name: 'discord',
  transport: 'http',
  target: 'url',
  secret: 'none',
  verifiedByCode: false,
  targetProblem: (config, target) => urlProblem(config, target, DISCORD),
  requests(event, { appUrl, target }) {
    const s = summarise(event, appUrl, USER_TEXT);
    return [
      json(target, {
        content: `${escapeDiscord('[Vigil]')} ${s.title}`,
        embeds: [{ title: s.title, description: s.lines.join('\n'), color: s.color, timestamp: event.createdAt.toISOString(), ...(s.link ? { url: s.link } : {}) }],
        // Never ping @everyone or roles because a monitor's name says so.
        allowed_mentions: { parse: [] },
      }),
    ];
  },
};
