import type { SNSClient } from '@aws-sdk/client-sns';
import type { SmsReceipt, SmsSender, SmsMessage } from './port.js';

type Sns = { sns: SNSClient; PublishCommand: typeof import('@aws-sdk/client-sns').PublishCommand };

/**
 * Amazon SNS, publishing straight to the phone number (no topic), as a transactional message (the
 * higher-delivery route for alerts and codes). The client loads on the first send, so only the
 * notifier and the internal API (codes) carry it when they text.
 */
export function snsSender(client: () => Promise<Sns>): SmsSender {
  let loaded: Promise<Sns> | undefined;
  return {
    async send(message: SmsMessage): Promise<SmsReceipt> {
      loaded ??= client().catch((error: unknown) => {
        loaded = undefined; // a failed load is retried by the next send
        throw error;
      });
      const { sns, PublishCommand } = await loaded;
      const out = await sns.send(
        new PublishCommand({
          PhoneNumber: message.to,
          Message: message.text,
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        }),
      );
      return { messageId: out.MessageId ?? 'unknown', response: 'accepted by SNS' };
    },
  };
}

/** The SNS client, imported on first use. */
export const loadSns = async (): Promise<Sns> => {
  const { SNSClient, PublishCommand } = await import('@aws-sdk/client-sns');
  return { sns: new SNSClient({}), PublishCommand };
};

/** The Lambda SMS adapter. */
export const snsFromConfig = (): SmsSender => snsSender(loadSns);
