/**
 * One TCP connection to an address the SSRF guard has already checked (the tcp probe's): the
 * socket is opened to that literal address, never to a name, so no second DNS query (DNS
 * rebinding) can change where it connects. The TCP sibling of pinned-request.ts.
 */
import net from 'node:net';

export type PinnedConnect = {
  /** What checkHostAllowed returned for the host: the only addresses this connection may use. */
  addresses: string[];
  port: number;
  timeoutMs: number;
};

export type ConnectOutcome = { ok: true } | { ok: false; timedOut: boolean; error?: unknown };

/** Opens and at once closes a connection to the first checked address; resolves how it went. */
export function pinnedConnect(c: PinnedConnect): Promise<ConnectOutcome> {
  const address = c.addresses[0];
  if (address === undefined) {
    const error: NodeJS.ErrnoException = new Error('no address');
    error.code = 'ENOTFOUND';
    return Promise.resolve({ ok: false, timedOut: false, error });
  }
  return new Promise<ConnectOutcome>((resolve) => {
    const socket = net.connect({ host: address, port: c.port });
    const finish = (outcome: ConnectOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, timedOut: true }), Math.max(1, c.timeoutMs));
    socket.once('connect', () => finish({ ok: true }));
    socket.once('error', (error) => finish({ ok: false, timedOut: false, error }));
  });
}
