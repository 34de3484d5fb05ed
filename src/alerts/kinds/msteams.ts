import type { AlertEventType } from '../../db/schema.js';
import { summarise } from '../payloads.js';
import { json, type HttpContactKind } from './kind.js';
import { hostIn, urlProblem, type ServiceUrlRule } from './url-rule.js';

/**
 * A Teams Workflows webhook ("Post to a channel when a webhook request is received"): Power
 * Automate serves them from Logic Apps hosts (prod-NN.<region>.logic.azure.com) and, for newer
 * flows, from the environment's Power Platform host; the path names the workflow.
 */
const WORKFLOWS: ServiceUrlRule = {
  hosts: hostIn([], ['.logic.azure.com', '.api.powerplatform.com']),
  path: /\/workflows\/[^/]+\/triggers\/[^/]+\/paths\/invoke$/,
  refusal: 'must be a Teams Workflows webhook URL (https://….logic.azure.com/workflows/…/triggers/manual/paths/invoke?…)',
};

/** The Adaptive Card version Teams renders everywhere (desktop, web, mobile). */
export const CARD_VERSION = '1.4';

const COLOR: Record<AlertEventType, 'Attention' | 'Good' | 'Warning' | 'Accent'> = {
  'monitor.down': 'Attention',
  'monitor.up': 'Good',
  'certificate.expiring': 'Warning',
  test: 'Accent',
};

/**
 * A paragraph of the card. Not a TextBlock: Teams reads a TextBlock's text as markdown (a name
 * like `[click](https://…)` would be a link, `**…**` bold), and its clients disagree on backslash
 * escapes; a RichTextBlock's TextRun is shown as the words it holds, on every client.
 */
function words(text: string, style: Record<string, string> = {}) {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text, ...style }] };
}

/**
 * Microsoft Teams through a Workflows webhook: a message with one Adaptive Card (the format the
 * workflow's "Post card in a chat or channel" step posts as it is): the title, the lines, and an
 * "Open in Vigil" button.
 */
export const msteamsKind: HttpContactKind = {
  name: 'msteams',
  transport: 'http',
  target: 'url',
  secret: 'none',
  verifiedByCode: false,
  targetProblem: (config, target) => urlProblem(config, target, WORKFLOWS),
  requests(event, { appUrl, target }) {
    const s = summarise(event, appUrl);
    const card = {
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: CARD_VERSION,
      body: [
        words(`[Vigil] ${s.title}`, { weight: 'Bolder', size: 'Medium', color: COLOR[event.type] }),
        ...s.lines.map((text) => words(text)),
      ],
      ...(s.link ? { actions: [{ type: 'Action.OpenUrl', title: 'Open in Vigil', url: s.link }] } : {}),
    };
    return [
      json(target, {
        type: 'message',
        // The text some clients show in a notification before the card renders.
        summary: `[Vigil] ${s.title}`,
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
      }),
    ];
  },
};
