import type { api } from '../../api/client';

export type Contact = Awaited<ReturnType<typeof api.contacts.list.query>>[number];
export type ContactKind = Contact['kind'];
export type Delivery = Awaited<ReturnType<typeof api.alerts.deliveries.query>>['items'][number];

type KindForm = {
  label: string;
  /** The target field's label and hint; `optional` when the server has a default (PagerDuty's US Events API). */
  target: string;
  hint: string;
  inputMode: 'email' | 'url' | 'text' | 'tel';
  optional?: boolean;
  /** How a kind that proves it wants alerts receives its code ("email", "text message"). */
  codeBy?: string;
  /** The secret the person gives (stored encrypted, never shown again), or none. */
  secret?: { label: string; hint: string; required: boolean };
};

/** Every kind of contact the API has (the Record keeps this list in step with the router's type). */
export const KINDS: Record<ContactKind, KindForm> = {
  email: { label: 'Email', target: 'Email address', hint: 'Vigil mails a 6-digit code to confirm the address first.', inputMode: 'email', codeBy: 'email' },
  webhook: { label: 'Webhook', target: 'Webhook URL', hint: 'Vigil POSTs JSON signed with Standard Webhooks; the signing secret is shown once.', inputMode: 'url' },
  slack: { label: 'Slack', target: 'Slack incoming-webhook URL', hint: 'From a Slack app’s Incoming Webhooks page (https://hooks.slack.com/…).', inputMode: 'url' },
  discord: { label: 'Discord', target: 'Discord webhook URL', hint: 'From a channel’s Integrations → Webhooks (https://discord.com/api/webhooks/…).', inputMode: 'url' },
  pagerduty: {
    label: 'PagerDuty',
    target: 'Events API URL',
    hint: 'Leave empty for PagerDuty’s US region; EU accounts use https://events.eu.pagerduty.com/v2/enqueue. A down triggers an incident and the recovery resolves it.',
    inputMode: 'url',
    optional: true,
    secret: { label: 'Routing key', hint: 'The Integration Key of an “Events API V2” integration on your PagerDuty service (32 characters).', required: true },
  },
  msteams: {
    label: 'Microsoft Teams',
    target: 'Teams Workflows webhook URL',
    hint: 'In the channel: ⋯ → Workflows → “Post to a channel when a webhook request is received”; copy the URL it gives you.',
    inputMode: 'url',
  },
  telegram: {
    label: 'Telegram',
    target: 'Chat id',
    hint: 'The chat’s number (groups start with -100…) or a public channel’s @username. Add your bot to the chat first.',
    inputMode: 'text',
    secret: { label: 'Bot token', hint: 'From @BotFather when you created the bot (123456789:AA…).', required: true },
  },
  ntfy: {
    label: 'ntfy',
    target: 'Topic URL',
    hint: 'On ntfy.sh or your own server, e.g. https://ntfy.sh/my-alerts. Downs arrive as urgent, recoveries as normal.',
    inputMode: 'url',
    secret: { label: 'Access token', hint: 'Only for a protected topic: a tk_… token from your ntfy account. Leave empty otherwise.', required: false },
  },
  sms: {
    label: 'SMS',
    target: 'Phone number',
    hint: 'In international form, e.g. +447700900123. Vigil texts a 6-digit code to confirm it first; every text counts against your plan’s monthly SMS allowance.',
    inputMode: 'tel',
    codeBy: 'text message',
  },
};

export const EVENT: Record<Delivery['type'], string> = {
  'monitor.down': 'Monitor down',
  'monitor.up': 'Monitor up',
  'certificate.expiring': 'Certificate expiring',
  test: 'Test',
};

/** A delivery's state in words and a symbol, never colour alone. */
export const DELIVERY: Record<Delivery['status'], { symbol: string; word: string }> = {
  delivered: { symbol: '●', word: 'Delivered' },
  pending: { symbol: '○', word: 'Pending' },
  failed: { symbol: '▲', word: 'Failed' },
  skipped: { symbol: '◇', word: 'Skipped' },
};
