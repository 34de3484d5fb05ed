import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type Received = ParsedMail & { envelopeTo: string[] };

/** A real SMTP server on 127.0.0.1; every message is parsed with mailparser as a mail client would. */
export async function startSmtpServer() {
  const inbox: Received[] = [];
  const waiters: (() => void)[] = [];
  let refusing = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      if (refusing > 0) {
        refusing--;
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          inbox.push(Object.assign(mail, { envelopeTo: session.envelope.rcptTo.map((r) => r.address) }));
          for (const wake of waiters.splice(0)) wake();
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    /** Messages to one address, in arrival order. */
    to: (address: string) => inbox.filter((m) => m.envelopeTo.includes(address)),
    /** Waits until `predicate` holds over the inbox (or fails after `ms`). */
    async waitFor(predicate: (inbox: Received[]) => boolean, ms = 5000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!predicate(inbox)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`mail did not arrive within ${ms} ms (${inbox.length} received)`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, Math.min(left, 100)).unref();
        });
      }
    },
    /** The next `n` messages are refused with a temporary error (451), as a busy server does. */
    refuse(n: number) {
      refusing = n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
