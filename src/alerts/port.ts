/**
 * The alert queue port: how committed deliveries wake whoever sends them (the in-process
 * dispatcher locally, the notifier through SQS on AWS). The outbox table is the truth; the queue is
 * only the wake-up, so a lost wake-up delays a delivery (until the local timer or the AWS sweep)
 * and never loses it. Adapters: src/alerts/queue.ts.
 */
export interface AlertQueue {
  /**
   * Wakes the sender for the deliveries (`dlv_…`) or account mails (`eml_…`, src/mail/outbox.ts)
   * `ids` finds; both share the queue and its consumer. An adapter that sends each delivery by its id
   * asks for them (a database read) and resolves to the ids it handed over, so the caller notes when
   * they were enqueued; one that only needs waking never asks, and resolves to none.
   */
  enqueue(ids: () => Promise<readonly string[]>): Promise<readonly string[]>;
  /** Stops timers (local); a no-op elsewhere. */
  stop(): void;
}
