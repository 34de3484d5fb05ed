import type { api } from '../../api/client';

export type Contact = Awaited<ReturnType<typeof api.contacts.list.query>>[number];
export type ContactKind = Contact['kind'];
export type Delivery = Awaited<ReturnType<typeof api.alerts.deliveries.query>>['items'][number];

/** Every kind of contact the API has (the Record keeps this list in step with the router's type). */
/** `codeBy`: how a kind that proves it wants alerts receives its code ("email", "text message"). */
export const KINDS: Record<ContactKind, { label: string; target: string; hint: string; inputMode: 'email' | 'url' | 'tel'; codeBy?: string }> = {
  email: { label: 'Email', target: 'Email address', hint: 'Vigil mails a 6-digit code to confirm the address first.', inputMode: 'email', codeBy: 'email' },
  webhook: { label: 'Webhook', target: 'Webhook URL', hint: 'Vigil POSTs JSON signed with Standard Webhooks; the signing secret is shown once.', inputMode: 'url' },
  slack: { label: 'Slack', target: 'Slack incoming-webhook URL', hint: 'From a Slack app’s Incoming Webhooks page (https://hooks.slack.com/…).', inputMode: 'url' },
  discord: { label: 'Discord', target: 'Discord webhook URL', hint: 'From a channel’s Integrations → Webhooks (https://discord.com/api/webhooks/…).', inputMode: 'url' },
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
