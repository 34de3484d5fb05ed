import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { dispatchIds } from './dispatcher.js';

/** The parts of an SQS event the notifier reads. */
export type SqsEvent = { Records: { messageId: string; body: string }[] };
export type SqsBatchResponse = { batchItemFailures: { itemIdentifier: string }[] };

/**
 * The notifier Lambda's body: each message names one delivery. A delivery that is not due or is
 * held by another notifier is simply skipped (the outbox decides); only a message this invocation
 * could not process (database down) is reported back, so SQS retries that one and not the batch.
 */
export async function handleNotifyBatch(svc: Services, event: SqsEvent): Promise<SqsBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      const deliveryId = parseDeliveryId(record.body);
      if (!deliveryId) {
        svc.log.warn('notifier.bad_message', { messageId: record.messageId });
        return; // a message no retry can fix is dropped, not redriven forever
      }
      try {
        await dispatchIds(svc, [deliveryId]);
      } catch (error) {
        svc.log.error('notifier.failed', { deliveryId, ...describeError(error) });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
}

function parseDeliveryId(body: string): string | null {
  try {
    const id = (JSON.parse(body) as { deliveryId?: unknown }).deliveryId;
    return typeof id === 'string' && /^dlv_[a-z0-9]{1,64}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}
