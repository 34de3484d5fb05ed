import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { sendDueMail } from '../mail/outbox.js';
import { dispatchIds } from './dispatcher.js';

/** The parts of an SQS event the notifier reads. */
export type SqsEvent = { Records: { messageId: string; body: string }[] };
export type SqsBatchResponse = { batchItemFailures: { itemIdentifier: string }[] };

/**
 * The notifier Lambda's body: each message names one alert delivery or one account mail. A row
 * that is not due or is held by another notifier is simply skipped (the outbox decides); only a message this invocation
 * could not process (database down) is reported back, so SQS retries that one and not the batch.
 */
export async function handleNotifyBatch(svc: Services, event: SqsEvent): Promise<SqsBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      const wake = parseWake(record.body);
      if (!wake) {
        svc.log.warn('notifier.bad_message', { messageId: record.messageId });
        return; // a message no retry can fix is dropped, not redriven forever
      }
      try {
        if ('deliveryId' in wake) await dispatchIds(svc, [wake.deliveryId]);
        else await sendDueMail(svc, [wake.mailId]);
      } catch (error) {
        svc.log.error('notifier.failed', { ...wake, ...describeError(error) });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
}

function parseWake(body: string): { deliveryId: string } | { mailId: string } | null {
  try {
    const { deliveryId, mailId } = JSON.parse(body) as { deliveryId?: unknown; mailId?: unknown };
    if (typeof deliveryId === 'string' && /^dlv_[a-z0-9]{1,64}$/.test(deliveryId)) return { deliveryId };
    if (typeof mailId === 'string' && /^eml_[a-z0-9]{1,64}$/.test(mailId)) return { mailId };
    return null;
  } catch {
    return null;
  }
}
