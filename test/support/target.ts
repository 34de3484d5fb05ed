import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real target on 127.0.0.1 whose answers the test scripts, one status per request. */
export async function startTarget() {
  const script: number[] = [];
  let fallback = 200;
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    res.statusCode = script.shift() ?? fallback;
    res.end('hello from the target');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`,
    answer(...statuses: number[]) {
      script.push(...statuses);
    },
    set always(status: number) {
      fallback = status;
    },
    get hits() {
      return hits;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}
