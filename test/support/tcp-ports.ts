import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A real TCP listener on 127.0.0.1 that accepts and hangs up, and a port that was just free (nothing listens there). */
export async function tcpPorts(): Promise<{ openPort: number; closedPort: number; close: () => Promise<unknown> }> {
  const listener = createServer((s) => s.end());
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const gone = createServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
  const closedPort = (gone.address() as AddressInfo).port;
  await new Promise((r) => gone.close(r));
  return { openPort: (listener.address() as AddressInfo).port, closedPort, close: () => new Promise((r) => listener.close(r)) };
}
