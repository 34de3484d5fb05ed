import type { Config } from '../../config.js';
import type { ContactKind } from '../../db/schema.js';
import type { MailMessage } from '../../mail/port.js';
import type { AlertEvent } from '../payloads.js';

/**
 * What a contact kind is: one module (./email.ts, ./webhook.ts, ./slack.ts, …) that owns what the
 * kind means — what its target is, which secret it holds, the rule its target must meet and what
 * its receiver gets — listed once in the table of kinds (./index.ts). Create, update, the list's
 * masking, the audit log and the sender reach a kind only through it.
 */

export type KindConfig = Pick<Config, 'allowPrivateTargets' | 'chatWebhookTestHosts' | 'telegramApiOrigin'>;

/** What a send knows of its contact: the target as stored and the secret, opened. */
export type SendContext = { appUrl: string; config: KindConfig; target: string; secret: string | null };

/** One HTTP POST of a send, in the receiver's documented format. */
export type Outgoing = { url: URL; headers?: Record<string, string>; body: string };

type Common = {
  readonly name: ContactKind;
  /**
   * What the target is. A `url` may carry a token in its path or query, so a role without
   * contacts:write and the audit log see only its origin; an `email` address, a `phone` number or a
   * `chat` id is shown whole (it is no credential). Every `url` passes the SSRF guard at create, update and send.
   */
  readonly target: 'email' | 'url' | 'chat' | 'phone';
  /** The target when a create gives none (PagerDuty's Events API); without one the target is required. */
  readonly defaultTarget?: string;
  /**
   * The contact's secret, sealed at rest and bound to its id: `generated` by Vigil and shown once
   * (a webhook's signing secret), `required` or `optional` from the person (a routing key, a bot
   * token, an access token: never shown again), or `none`.
   */
  readonly secret: 'none' | 'generated' | 'required' | 'optional';
  /** What the secret is called in refusals and the app ("routing key"). */
  readonly secretLabel?: string;
  /** Confirmed by a code before it receives anything (email, SMS). */
  readonly verifiedByCode: boolean;
  /** The target as stored (an email address lower-cased). */
  normalise?(target: string): string;
  /** Why this target does not fit the kind, or null: its shape, hosts and paths, without the network. */
  targetProblem(config: KindConfig, target: string): string | null;
  /** Why this secret does not fit the kind, or null (its documented format). */
  secretProblem?(secret: string): string | null;
};

export type HttpContactKind = Common & {
  readonly transport: 'http';
  /** The requests one event makes, sent in order; the first that fails ends the send. */
  requests(event: AlertEvent, ctx: SendContext): Outgoing[];
  /**
   * Why a service refused, from its documented error body ("Bad Request: chat not found"), for the
   * delivery log; only for a service on a fixed host (a receiver of the person's choosing could
   * write anything there). Null when the body says nothing usable.
   */
  refusalOf?(body: string): string | null;
};

export type MailContactKind = Common & {
  readonly transport: 'mail';
  message(event: AlertEvent, ctx: SendContext): MailMessage;
};

/** A text message through the SMS port, spent from the plan's monthly allowance (../sms-allowance.ts). */
export type SmsContactKind = Common & {
  readonly transport: 'sms';
  text(event: AlertEvent, ctx: SendContext): string;
};

export type ContactKindModule = HttpContactKind | MailContactKind | SmsContactKind;

/** A JSON POST, the shape every chat service takes. */
export const json = (url: URL | string, body: unknown, headers: Record<string, string> = {}): Outgoing => ({
  url: typeof url === 'string' ? new URL(url) : url,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
