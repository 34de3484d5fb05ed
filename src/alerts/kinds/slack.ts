import { summarise } from '../payloads.js';
import { json, type HttpContactKind } from './kind.js';
import { hostIn, urlProblem, type ServiceUrlRule } from './url-rule.js';

const SLACK: ServiceUrlRule = {
  hosts: hostIn(['hooks.slack.com']),
  path: /^\/services\/[^/]+\/[^/]+\/[^/]+$/,
  refusal: 'must be a Slack incoming-webhook URL (https://hooks.slack.com/services/…)',
};

/** A Slack incoming webhook: `{ text, blocks: [section, context with "Open in Vigil"] }`. */
export const slackKind: HttpContactKind = {
  name: 'slack',
  transport: 'http',
  target: 'url',
  secret: 'none',
  verifiedByCode: false,
  targetProblem: (config, target) => urlProblem(config, target, SLACK),
  requests(event, { appUrl, target }) {
    const s = summarise(event, appUrl);
    // Slack parses the fallback text (notifications, older clients) as it parses mrkdwn: escaped alike.
    const text = escapeSlack(`[Vigil] ${s.title}`);
    return [
      json(target, {
        text,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `*${text}*\n${s.lines.map(escapeSlack).join('\n')}` } },
          ...(s.link ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `<${s.link}|Open in Vigil>` }] }] : []),
        ],
      }),
    ];
  },
};

/** Slack's three control characters (api.slack.com, "Escaping text"): &, < and >. */
export const escapeSlack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
