import { createRequire } from 'node:module';

/** The part of autocannon's result the bench reads (autocannon ships no types). */
type AutocannonResult = {
  duration: number;
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; average: number };
  throughput: { total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
};
type AutocannonOptions = {
  url: string;
  connections: number;
  amount?: number;
  duration?: number;
  headers?: Record<string, string>;
  timeout?: number;
};
const autocannon = createRequire(import.meta.url)('autocannon') as (
  opts: AutocannonOptions,
  cb: (err: Error | null, res: AutocannonResult) => void,
) => { stop(): void; on(event: 'response', listener: () => void): void };

export type LoadResult = { rps: number; p50: number; p99: number; ok: number; bad: number; bytesPerResponse: number; seconds: number };

/**
 * One bounded load run against a loopback URL: at most `amount` requests, and stopped after
 * `maxSeconds` whatever happens. Requests per second are completed 2xx responses over the time from
 * the start to the last response, measured here: autocannon notices that `amount` is reached only
 * at its next one-second tick, so its own `duration` rounds a short run up to whole seconds (1,100
 * requests in 2.3 s read as 275/s, the same as in 4 s).
 */
export function load(url: string, opts: { connections: number; amount: number; maxSeconds: number; headers?: Record<string, string> }): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(url)) throw new Error(`load runs on loopback only, not ${url}`);
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined = undefined;
    const started = performance.now();
    let lastResponse = started;
    const instance = autocannon({ url, connections: opts.connections, amount: opts.amount, headers: opts.headers, timeout: 10 }, (err, res) => {
      clearTimeout(timer);
      if (err) return reject(err);
      const total = res['2xx'] + res.non2xx;
      const seconds = (lastResponse - started) / 1000;
      resolve({
        rps: res['2xx'] / seconds,
        p50: res.latency.p50,
        p99: res.latency.p99,
        ok: res['2xx'],
        bad: res.non2xx + res.errors + res.timeouts,
        bytesPerResponse: total ? res.throughput.total / total : 0,
        seconds,
      });
    });
    instance.on('response', () => (lastResponse = performance.now()));
    timer = setTimeout(() => instance.stop(), opts.maxSeconds * 1000);
  });
}
