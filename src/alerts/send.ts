/**
 * Sends one delivery. URLs go through the probes' SSRF guard and pinned-DNS connection on every
 * send (a hostname may resolve somewhere else since the contact was created), follow no redirects
 * and give up after 10 s.
 */
import { secretBoxFor } from '../crypto/secret-box.js';
import { requestFailureReason } from '../net/failure-reason.js';
import { pinnedRequest } from '../net/pinned-request.js';
import { checkHostAllowed } from '../net/ssrf.js';
import type { Services } from '../services.js';
import type { ContactRow } from './contacts/read.js';
import { contactKind } from './kinds/index.js';
import type { Outgoing, SendContext } from './kinds/kind.js';
import type { AlertEvent } from './payloads.js';
import { noteSmsSkipped, refundSms, spendSms } from './sms-allowance.js';

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

type Outcome = Omit<SendResult, 'latencyMs'>;

/** The kind renders what its receiver gets (./kinds/); this sends it, by mail or by HTTP. */
export async function sendDelivery(svc: Services, event: AlertEvent, contact: ContactRow): Promise<SendResult> {
  const started = performance.now();
  const done = (r: Outcome): SendResult => ({ ...r, latencyMs: Math.round(performance.now() - started) });
  const kind = contactKind(contact.kind);
  try {
    const ctx: SendContext = {
      appUrl: svc.config.appUrl,
      config: svc.config,
      target: contact.target,
      secret: contact.secretSealed ? secretBoxFor(svc.config).open(contact.secretSealed, contact.id) : null,
    };
    if (kind.transport === 'mail') {
      const receipt = await withinTimeout(svc.mailer.send(kind.message(event, ctx)));
      return done({ ok: true, statusCode: null, response: receipt.response.slice(0, 300), error: null, permanent: false });
    }
    if (kind.transport === 'sms') return done(await textWithinAllowance(svc, contact, kind.text(event, ctx)));
    // The rule may have changed since the contact was saved, or the row been written by an older version.
    const problem = kind.targetProblem(svc.config, contact.target);
    if (problem) return done(refused(`target ${problem}`));
    let outcome: Outcome = refused('nothing to send');
    for (const request of kind.requests(event, ctx)) {
      outcome = await post(svc, request, kind.refusalOf);
      if (!outcome.ok) break;
    }
    return done(outcome);
  } catch (error) {
    return done({ ok: false, statusCode: null, response: null, error: sendError(error), permanent: false });
  }
}

const refused = (error: string): Outcome => ({ ok: false, statusCode: null, response: null, error, permanent: true });

/** One POST through the SSRF guard to exactly the checked address. Its URL may hold a token (Telegram's): it is never logged. */
async function post(svc: Services, request: Outgoing, refusalOf?: (body: string) => string | null): Promise<Outcome> {
  const { url, body } = request;
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
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': USER_AGENT,
        ...request.headers,
      },
      body,
      addresses: check.addresses,
      signal: controller.signal,
    });
    const status = res.statusCode ?? 0;
    const refusal = refusalOf && status >= 400 ? refusalOf(await headOf(res, ERROR_BODY_MAX)) : null;
    res.resume(); // otherwise the receiver's body is not read, only drained
    if (status >= 200 && status < 300) return { ok: true, statusCode: status, response: null, error: null, permanent: false };
    const error = status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : refusal ? `HTTP ${status}: ${refusal}` : `HTTP ${status}`;
    const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
    return { ok: false, statusCode: status, response: null, error, permanent };
  } catch (error) {
    const timedOut = controller.signal.aborted;
    return { ok: false, statusCode: null, response: null, error: timedOut ? `timeout after ${SEND_TIMEOUT_MS} ms` : sendError(error), permanent: false };
  } finally {
    clearTimeout(timer);
  }
}

/** How much of a service's error body is read for its reason. */
const ERROR_BODY_MAX = 4096;

/** The first `max` bytes of a body (the rest is not waited for), as text. */
async function headOf(res: AsyncIterable<Buffer>, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= max) break;
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

/**
 * A text, spent from the account's monthly allowance first: at the allowance it is skipped (the
 * delivery log says why, and the plan & usage screen counts it), never sent on credit. A text SNS
 * refused is given back; one that timed out may have gone, and is not.
 */
async function textWithinAllowance(svc: Services, contact: ContactRow, text: string): Promise<Outcome> {
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
