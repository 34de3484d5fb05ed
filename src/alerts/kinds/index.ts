import type { ContactKind } from '../../db/schema.js';
import { discordKind } from './discord.js';
import { emailKind } from './email.js';
import type { ContactKindModule } from './kind.js';
import { msteamsKind } from './msteams.js';
import { ntfyKind } from './ntfy.js';
import { pagerdutyKind } from './pagerduty.js';
import { slackKind } from './slack.js';
import { smsKind } from './sms.js';
import { telegramKind } from './telegram.js';
import { webhookKind } from './webhook.js';

/**
 * The table of contact kinds: create, update, the list's masking, the audit log and the sender
 * reach a kind only through it. A new kind is one module beside these (and its name in
 * CONTACT_KINDS, src/db/schema.ts) plus one line here.
 */
const KINDS: Record<ContactKind, ContactKindModule> = {
  email: emailKind,
  webhook: webhookKind,
  slack: slackKind,
  discord: discordKind,
  pagerduty: pagerdutyKind,
  msteams: msteamsKind,
  telegram: telegramKind,
  ntfy: ntfyKind,
  sms: smsKind,
};

export function contactKind(name: ContactKind): ContactKindModule {
  return KINDS[name];
}
