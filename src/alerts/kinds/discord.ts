import { summarise } from '../payloads.js';
import { json, type HttpContactKind } from './kind.js';
import { hostIn, urlProblem, type ServiceUrlRule } from './url-rule.js';

const DISCORD: ServiceUrlRule = {
  hosts: hostIn(['discord.com', 'discordapp.com']),
  path: /^\/api\/webhooks\/\d+\/[^/]+$/,
  refusal: 'must be a Discord webhook URL (https://discord.com/api/webhooks/…)',
};

/**
 * A Discord webhook: `{ content, embeds: [{ title, description, color, timestamp, url }] }`.
 * Discord shows `&amp;` literally, so nothing is entity-escaped; what a name could abuse there,
 * mentions, is switched off by allowed_mentions.
 */
export const discordKind: HttpContactKind = {
  name: 'discord',
  transport: 'http',
  target: 'url',
  secret: 'none',
  verifiedByCode: false,
  targetProblem: (config, target) => urlProblem(config, target, DISCORD),
  requests(event, { appUrl, target }) {
    const s = summarise(event, appUrl);
    return [
      json(target, {
        content: `[Vigil] ${s.title}`,
        embeds: [{ title: s.title, description: s.lines.join('\n'), color: s.color, timestamp: event.createdAt.toISOString(), ...(s.link ? { url: s.link } : {}) }],
        // Never ping @everyone or roles because a monitor's name says so.
        allowed_mentions: { parse: [] },
      }),
    ];
  },
};
