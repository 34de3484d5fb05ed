import { Webhook } from 'standardwebhooks';
import type { AlertEvent } from '../payloads.js';
import { publicData } from '../payloads.js';
import { json, type HttpContactKind } from './kind.js';
import { urlProblem } from './url-rule.js';

/** The Standard Webhooks body: `{ type, timestamp, data }`. */
export function webhookBody(event: AlertEvent): { type: string; timestamp: string; data: Record<string, unknown> } {
  return { type: event.type, timestamp: event.createdAt.toISOString(), data: publicData(event) };
}

/**
 * Any https URL, signed with Standard Webhooks: the signing secret (`whsec_…`) is made by Vigil and
 * shown once, at create and at each rotation.
 */
export const webhookKind: HttpContactKind = {
  name: 'webhook',
  transport: 'http',
  target: 'url',
  secret: 'generated',
  verifiedByCode: false,
  targetProblem: (config, target) => urlProblem(config, target),
  requests(event, { target, secret }) {
    const post = json(target, webhookBody(event));
    // Wall-clock on purpose: not a decision of ours but a fact for the receiver, which checks it
    // against its own clock to refuse replays (an injected test clock would be refused).
    const timestamp = new Date();
    // webhook-id is the event's id, the same on every retry, so receivers can de-duplicate.
    post.headers = {
      ...post.headers,
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(secret ?? '').sign(event.id, timestamp, post.body),
    };
    return [post];
  },
};
