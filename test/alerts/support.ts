import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TRPCClientError } from '@trpc/client';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect } from 'vitest';
import { contactKind } from '../../src/alerts/kinds/index.js';
import type { AlertEvent } from '../../src/alerts/payloads.js';
import { monitors, type ContactKind } from '../../src/db/schema.js';
import type { MailMessage } from '../../src/mail/port.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';
import { startTarget } from '../support/target.js';

export type Hit = { path: string; headers: IncomingHttpHeaders; body: string; json: { type?: string; data?: Record<string, unknown> } & Record<string, unknown> };

/** A real webhook receiver on 127.0.0.1 whose answers the test scripts, one status per request. */
export async function startReceiver() {
  const hits: Hit[] = [];
  const script: number[] = [];
  const byPath = new Map<string, number[]>();
  const bodies = new Map<string, string[]>();
  let fallback = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json = {};
      try {
        json = JSON.parse(body) as object;
      } catch {
        // kept as text
      }
      hits.push({ path: req.url ?? '', headers: req.headers, body, json });
      const path = req.url ?? '';
      res.statusCode = byPath.get(path)?.shift() ?? script.shift() ?? fallback;
      res.end(bodies.get(path)?.shift() ?? 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (path = '/hook') => base + path,
    hits,
    at: (path: string) => hits.filter((h) => h.path === path),
    answer(...statuses: number[]) {
      script.push(...statuses);
    },
    /** Statuses for one path only, in order, before the shared script and fallback. */
    answerAt(path: string, ...statuses: number[]) {
      byPath.set(path, [...(byPath.get(path) ?? []), ...statuses]);
    },
    /** One answer with a body, for one path. */
    replyAt(path: string, status: number, body: string) {
      byPath.set(path, [...(byPath.get(path) ?? []), status]);
      bodies.set(path, [...(bodies.get(path) ?? []), body]);
    },
    set always(status: number) {
      fallback = status;
    },
    async waitFor(predicate: () => boolean, ms = 5000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met within ${ms} ms (${hits.length} hits)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
type Client = Awaited<ReturnType<TestApp['signUp']>>;
type HttpMonitorInput = Extract<Parameters<Client['monitors']['create']['mutate']>[0], { url: string }>;

/**
 * The world of an alert test file: a receiver standing in for every service, a target to check and
 * an app on the file's clock, started before the file's tests and closed after them. Its fields are
 * read inside tests (they exist once the file's beforeAll has run). `env` may name the receiver.
 */
export function alertWorld(now: () => number, env: (receiver: Receiver) => Record<string, string> = () => ({})) {
  const w = {
    t: undefined as unknown as TestApp,
    receiver: undefined as unknown as Receiver,
    target: undefined as unknown as Awaited<ReturnType<typeof startTarget>>,
    /** A new account with a webhook contact at `path` of the receiver (besides its own address). */
    async webhookAccount(path: string) {
      const c = await w.t.signUp();
      const hook = await c.contacts.create.mutate({ kind: 'webhook', name: 'ops', target: w.receiver.url(path) });
      rememberSecret(hook.signingSecret);
      return { c, hook };
    },
    /** An http monitor, created paused and unpaused behind the scheduler's back, so no timer races the test's own checks. */
    async liveMonitor(c: Client, input: Omit<HttpMonitorInput, 'paused'>) {
      const m = await c.monitors.create.mutate({ ...input, paused: true });
      await w.t.svc.db.update(monitors).set({ paused: false }).where(eq(monitors.id, m.id));
      return m;
    },
  };
  beforeAll(async () => {
    w.receiver = await startReceiver();
    w.target = await startTarget();
    w.t = await startTestApp({ now, env: env(w.receiver) });
  });
  afterAll(async () => {
    await w.t.close();
    await w.receiver.close();
    await w.target.close();
  });
  return w;
}

/** Verifies a hit as a receiver would, with the standardwebhooks package; throws when it does not verify. */
export function verifyHit(secret: string, hit: Hit): unknown {
  return new Webhook(secret).verify(hit.body, {
    'webhook-id': String(hit.headers['webhook-id']),
    'webhook-timestamp': String(hit.headers['webhook-timestamp']),
    'webhook-signature': String(hit.headers['webhook-signature']),
  });
}

/** Polls until `check` stops throwing (or fails with its last error). */
export async function eventually<T>(check: () => Promise<T> | T, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

const dataOf = (e: unknown) => (e as { data: unknown }).data as Record<string, unknown> & { httpStatus: number };

/** The refusal a tRPC call ends in (it must end in one): its message and the error body's data. */
export async function refusal(p: Promise<unknown>) {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(TRPCClientError);
  return { message: (e as Error).message, data: dataOf(e) };
}

const renderConfig = { allowPrivateTargets: true, chatWebhookTestHosts: [], telegramApiOrigin: 'https://api.telegram.org' };

/** What an HTTP kind sends for an event, as its receiver reads it: each request's URL, headers and parsed JSON body. */
export function requestsOf(kind: ContactKind, event: AlertEvent, ctx: { appUrl: string; target?: string; secret?: string | null }) {
  const k = contactKind(kind);
  if (k.transport !== 'http') throw new Error(`${kind} is not sent over HTTP`);
  const target = ctx.target ?? k.defaultTarget ?? 'https://receiver.example/hook';
  return k.requests(event, { config: renderConfig, appUrl: ctx.appUrl, target, secret: ctx.secret ?? null }).map((r) => ({
    url: r.url.href,
    headers: r.headers ?? {},
    body: r.body,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    json: JSON.parse(r.body) as any,
  }));
}

/** The one JSON body an HTTP kind sends for an event. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const bodyOf = (kind: ContactKind, event: AlertEvent, appUrl: string, target?: string): any => requestsOf(kind, event, { appUrl, target, secret: 'whsec_dGVzdA==' })[0]!.json;

/** The email an event makes. */
export function mailOf(event: AlertEvent, appUrl: string, to: string): MailMessage {
  const k = contactKind('email');
  if (k.transport !== 'mail') throw new Error('email is sent by mail');
  return k.message(event, { config: renderConfig, appUrl, target: to, secret: null });
}

export type DiscordBody = { content: string; embeds: { title: string; description: string; url?: string }[]; allowed_mentions: unknown };

/** Characters Discord's markdown gives a meaning to anywhere in a line (links, mentions, emphasis, spoilers, code); ( ) only after ]. */
const DISCORD_ACTIVE = '\\*_~`|[]<>@#';
/**
 * Reads Discord markdown strictly: a backslash before punctuation is that character; `<https://…>`
 * is a link showing its own address; any other active character is an error (it would be markup).
 */
export function readDiscord(text: string): { text: string; links: string[] } {
  let out = '';
  const links: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const autolink = ch === '<' ? /^<(https?:\/\/[^\s<>]+)>/.exec(text.slice(i)) : null;
    if (autolink) {
      links.push(autolink[1]!);
      out += autolink[1];
      i += autolink[0].length - 1;
    } else if (ch === '\\' && /[!-/:-@[-`{-~]/.test(text[i + 1] ?? '')) {
      out += text[++i];
    } else if (DISCORD_ACTIVE.includes(ch) || ((ch === '-' || ch === '+') && (i === 0 || text[i - 1] === '\n'))) {
      throw new Error(`unescaped ${ch} at ${i} in ${JSON.stringify(text)}`);
    } else {
      out += ch;
    }
  }
  return { text: out, links };
}

/** MarkdownV2 as Telegram reads it: a backslash escapes the next character; any other reserved one is an error. */
export function readMarkdownV2(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') out += text[++i] ?? '';
    else if ('_*[]()~`>#+-=|{}.!'.includes(ch)) throw new Error(`unescaped ${ch} at ${i} in ${JSON.stringify(text)}`);
    else out += ch;
  }
  return out;
}
