/**
 * Sends one delivery. URLs go through the probes' SSRF guard and pinned-DNS connection on every
 * send (a hostname may resolve somewhere else since the contact was created), follow no redirects
 * and give up after 10 s.
 */
import { Webhook } from 'standardwebhooks';
import { secretBoxFor } from '../crypto/secret-box.js';
import { requestFailureReason } from '../net/failure-reason.js';
import { pinnedRequest } from '../net/pinned-request.js';
import { checkHostAllowed } from '../net/ssrf.js';
import type { Services } from '../services.js';
import type { ContactRow } from './contacts/read.js';
import { discordBody, emailMessage, slackBody, smsText, webhookBody, type AlertEvent } from './payloads.js';
import { noteSmsSkipped, refundSms, spendSms } from './sms-allowance.js';
import { urlTargetProblem, type UrlKind } from './targets.js';

export const SEND_TIMEOUT_MS = 10_000;
export const USER_AGENT = 'Vigil-Alerts/1.0 (+https://vigil.example)';

export type SendResult = {
  ok: boolean;
  statusCode: number | null;
  /** The SMTP reply or transport receipt, for email. */
  response: string | null;
  error: string | null;
  /** No retry can help (a 4xx other than 408/429, a refused target). */
  permanent: boolean;
  latencyMs: number;
  /** Not sent, by a rule rather than a failure; `error` says which (the delivery becomes `skipped`). */
  skipped?: true;
};

/** A delivery not sent, on purpose: no attempt is recorded, and `reason` is shown in the delivery log. */
export const skipped = (reason: string): SendResult => ({ ok: false, statusCode: null, response: null, error: reason, permanent: true, latencyMs: 0, skipped: true });

export async function sendDelivery(svc: Services, event: AlertEvent, contact: ContactRow): Promise<SendResult> {
  const started = performance.now();
  const done = (r: Omit<SendResult, 'latencyMs'>): SendResult => ({ ...r, latencyMs: Math.round(performance.now() - started) });
  const appUrl = svc.config.appUrl;
  try {
    switch (contact.kind) {
      case 'email': {
        const receipt = await withinTimeout(svc.mailer.send(emailMessage(event, appUrl, contact.target)));
        return done({ ok: true, statusCode: null, response: receipt.response.slice(0, 300), error: null, permanent: false });
      }
      case 'webhook': {
        const body = webhookBody(event);
        // webhook-id is the event's id, the same on every retry, so receivers can de-duplicate.
        const secret = secretBoxFor(svc.config).open(contact.secretSealed ?? '', contact.id);
        // Wall-clock on purpose: not a decision of ours but a fact for the receiver, which checks it
        // against its own clock to refuse replays (an injected test clock would be refused).
        const timestamp = new Date();
        const headers = {
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': new Webhook(secret).sign(event.id, timestamp, body),
        };
        return done(await postJson(svc, contact, body, headers));
      }
      case 'slack':
        return done(await postJson(svc, contact, slackBody(event, appUrl), {}));
      case 'discord':
        return done(await postJson(svc, contact, discordBody(event, appUrl), {}));
      case 'sms':
        return done(await textWithinAllowance(svc, contact, smsText(event, appUrl)));
    }
  } catch (error) {
    return done({ ok: false, statusCode: null, response: null, error: sendError(error), permanent: false });
  }
}

async function postJson(
  svc: Services,
  contact: ContactRow,
  body: string,
  extraHeaders: Record<string, string>,
): Promise<Omit<SendResult, 'latencyMs'>> {
  const refused = (error: string) => ({ ok: false, statusCode: null, response: null, error, permanent: true });
  const kind = contact.kind as UrlKind;
  const problem = urlTargetProblem(svc.config, kind, contact.target);
  if (problem) return refused(`target ${problem}`);
  const url = new URL(contact.target);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
  try {
    const check = await checkHostAllowed(host, svc.config.allowPrivateTargets);
    if (!check.ok) return check.reason.startsWith('blocked') ? refused(check.reason) : { ...refused(check.reason), permanent: false };
    const res = await pinnedRequest({
      url,
      host,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': USER_AGENT,
        ...extraHeaders,
      },
      body,
      addresses: check.addresses,
      signal: controller.signal,
    });
    res.resume(); // the receiver's body is not read, only drained
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return { ok: true, statusCode: status, response: null, error: null, permanent: false };
    const error = status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`;
    const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
    return { ok: false, statusCode: status, response: null, error, permanent };
  } catch (error) {
    const timedOut = controller.signal.aborted;
    return { ok: false, statusCode: null, response: null, error: timedOut ? `timeout after ${SEND_TIMEOUT_MS} ms` : sendError(error), permanent: false };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A text, spent from the account's monthly allowance first: at the allowance it is skipped (the
 * delivery log says why, and the plan & usage screen counts it), never sent on credit. A text SNS
 * refused is given back; one that timed out may have gone, and is not.
 */
async function textWithinAllowance(svc: Services, contact: ContactRow, text: string): Promise<Omit<SendResult, 'latencyMs'>> {
  const spend = await spendSms(svc, contact.accountId);
  if (!spend.allowed) {
    await noteSmsSkipped(svc, contact.accountId);
    return skipped(`not sent: ${spend.reason}`);
  }
  try {
    const receipt = await withinTimeout(svc.sms.send({ to: contact.target, text }));
    return { ok: true, statusCode: null, response: `${receipt.response} (${receipt.messageId})`.slice(0, 300), error: null, permanent: false };
  } catch (error) {
    if (error instanceof SendTimeout) throw error;
    await refundSms(svc, spend);
    const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
    const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : null;
    // SNS names its refusals (InvalidParameter, OptedOut, Throttling…): the name, never the message (it echoes the number).
    const name = typeof e.name === 'string' && /^[A-Za-z]{1,64}$/.test(e.name) ? e.name : 'error';
    const permanent = status !== null && status >= 400 && status < 500 && status !== 429 && !/Throttl/i.test(name);
    return { ok: false, statusCode: status, response: null, error: `SNS ${name}`, permanent };
  }
}

/** Email gets the same 10 s per attempt as webhooks (SMTP's own timeouts run to minutes). */
function withinTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeout()), SEND_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

class SendTimeout extends Error {}

/** Short and human, never the message of an SMTP error (it may echo what was sent). */
function sendError(error: unknown): string {
  if (error instanceof SendTimeout) return `timeout after ${SEND_TIMEOUT_MS} ms`;
  const e = error as { responseCode?: unknown; code?: unknown };
  if (typeof e?.responseCode === 'number') return `SMTP ${e.responseCode}`;
  return requestFailureReason(error, 'send');
}
