/** The alert queue's adapters (the port: src/alerts/port.ts), and the one way callers enqueue. */
import { inArray } from 'drizzle-orm';
import { alertDeliveries } from '../db/schema.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import type { AlertQueue } from './port.js';


/**
 * Enqueues the deliveries (their ids, or how to find them: read only by an adapter that needs them,
 * which spares the in-process dispatcher two round trips per event), then notes when, so the sweep
 * re-sends only what was never (or long ago) enqueued.
 */
export async function enqueueDeliveries(svc: Pick<Services, 'db' | 'alerts' | 'now'>, ids: readonly string[] | (() => Promise<readonly string[]>)): Promise<void> {
  if (Array.isArray(ids) && ids.length === 0) return;
  const sent = await svc.alerts.enqueue(typeof ids === 'function' ? ids : async () => ids as readonly string[]);
  if (sent.length === 0) return;
  await svc.db.update(alertDeliveries).set({ enqueuedAt: svc.now() }).where(inArray(alertDeliveries.id, [...sent]));
}

/** How often the local dispatcher looks for due retries without being woken. */
export const LOCAL_POLL_MS = 5_000;
/** Wake-ups this close together share one run (one claim, one batched write). */
const COALESCE_MS = 20;

/**
 * `npm start` and tests: the dispatcher runs in this process, woken after each commit and by a
 * timer for retries. Runs never overlap; wake-ups during a run coalesce into one more run.
 */
export class LocalAlertQueue implements AlertQueue {
  private run: (() => Promise<unknown>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private pending: NodeJS.Timeout | undefined;
  private again = false;

  constructor(private readonly log: Logger) {}

  attach(run: () => Promise<unknown>, pollMs = LOCAL_POLL_MS): void {
    this.run = run;
    this.timer = setInterval(() => this.wake(), pollMs);
    this.timer.unref();
  }

  async enqueue(): Promise<readonly string[]> {
    this.wake();
    return [];
  }

  wake(): void {
    if (!this.run) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      if (!this.running) this.running = this.loop().finally(() => (this.running = undefined));
      else this.again = true;
    }, COALESCE_MS);
  }

  /** Resolves when no run is in progress or about to start; for tests and a clean shutdown. */
  async idle(): Promise<void> {
    while (this.running || this.pending) await (this.running ?? new Promise((r) => setTimeout(r, COALESCE_MS)));
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.pending);
    this.pending = undefined;
    this.run = undefined;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.run?.();
      } catch (error) {
        this.log.error('alerts.dispatch_failed', describeError(error));
      }
    } while (this.again && this.run);
  }
}

/** On Lambda without a queue (functions that never create deliveries): the sweep finds the rows. */
export const sweepOnlyQueue: AlertQueue = { enqueue: async () => [], stop: () => undefined };

/** The AWS adapter by config: SQS when a queue is named, else the one-minute sweep alone. */
export function awsAlertQueue(config: Pick<Config, 'notifyQueueUrl'>): AlertQueue {
  const queueUrl = config.notifyQueueUrl;
  if (!queueUrl) return sweepOnlyQueue;
  return sqsAlertQueue(queueUrl, async () => {
    const { SQSClient, SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    return { client: new SQSClient({}), batch: (input) => new SendMessageBatchCommand(input as never) };
  });
}

type SqsClientLike = { send(command: unknown): Promise<{ Failed?: unknown[] | undefined }> };

/** The wake-up for one outbox row, by its id: an alert delivery or an account mail. */
const wakeMessage = (id: string) => (id.startsWith('eml_') ? { mailId: id } : { deliveryId: id });

/** AWS: one message per row (`{"deliveryId": "dlv_…"}` or `{"mailId": "eml_…"}`), ten to a SendMessageBatch call. */
export function sqsAlertQueue(queueUrl: string, load: () => Promise<{ client: SqsClientLike; batch: (input: unknown) => unknown }>): AlertQueue {
  let loading: ReturnType<typeof load> | undefined;
  return {
    async enqueue(find) {
      const ids = await find();
      if (ids.length === 0) return [];
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      const { client, batch } = await loading;
      for (let i = 0; i < ids.length; i += 10) {
        const entries = ids.slice(i, i + 10).map((id, n) => ({ Id: String(n), MessageBody: JSON.stringify(wakeMessage(id)) }));
        const out = await client.send(batch({ QueueUrl: queueUrl, Entries: entries }));
        if (out.Failed?.length) throw new Error(`SQS refused ${out.Failed.length} of ${entries.length} messages`);
      }
      return ids;
    },
    stop: () => undefined,
  };
}
