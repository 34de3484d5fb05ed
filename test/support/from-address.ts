import { request } from 'node:http';

export type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * An HTTP request whose socket is bound to `localAddress`: on Linux all of 127.0.0.0/8 is
 * loopback, so 127.0.0.2 and 127.0.0.3 are two real, different client addresses for the server.
 */
export function sendFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** POST a JSON body from `localAddress`, with the SPA's origin. */
export const postJsonFrom = (localAddress: string, url: string, body: unknown, origin = 'http://app.test') =>
  sendFrom(localAddress, url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(body),
  });
