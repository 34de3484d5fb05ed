/** One email, as every sender in the service builds it (alerts, verification, resets, invitations). */
export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
};

/** What the transport answered: kept with delivery attempts (SMTP reply, SES message id, file path). */
export type MailReceipt = { messageId: string; response: string };

/** The mail port. Adapters: file (local default), SMTP (nodemailer), SES v2 (Lambda). */
export interface Mailer {
  send(message: MailMessage): Promise<MailReceipt>;
}
