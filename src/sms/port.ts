/** One text message: to an E.164 number, plain text, short (src/alerts/sms-text.ts builds every one). */
export type SmsMessage = { to: string; text: string };

/** What the transport answered: kept with delivery attempts (the SNS message id, or the file written). */
export type SmsReceipt = { messageId: string; response: string };

/** The SMS port. Adapters: file (local default), Amazon SNS (Lambda): src/sms/transports.ts. */
export interface SmsSender {
  send(message: SmsMessage): Promise<SmsReceipt>;
}
