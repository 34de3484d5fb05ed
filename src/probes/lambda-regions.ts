/**
 * The probes port on AWS: the `probe` Lambda of each other region (serverless.probe.yml), invoked
 * synchronously (`RequestResponse`) by the home checker, every region at once. An invocation that
 * errors, returns a function error or nonsense, or misses its deadline (then aborted) is an
 * unanswered region. The request carries the target's opened credentials: it is never logged.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { withinDeadline, type RegionAnswer, type RegionProbes } from './regions.js';
import { fromWireResult, type ProbeRequest } from './request.js';

export function lambdaRegionProbes(functionName: string, clientFor: (region: string) => Promise<LambdaClient> = defaultClients()): RegionProbes {
  return {
    probe(region, request, { deadlineMs }) {
      const abort = new AbortController();
      return withinDeadline(invoke(clientFor(region), functionName, request, abort.signal), deadlineMs, () => abort.abort());
    },
  };
}

async function invoke(client: Promise<LambdaClient>, functionName: string, request: ProbeRequest, abortSignal: AbortSignal): Promise<RegionAnswer> {
  const { InvokeCommand } = await import('@aws-sdk/client-lambda');
  const res = await (await client).send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(request)) }),
    { abortSignal },
  );
  if (res.FunctionError) return { answered: false, reason: 'probe function error' };
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(res.Payload ?? new Uint8Array()).toString('utf8'));
  } catch {
    body = null;
  }
  const result = fromWireResult(body);
  return result ? { answered: true, result } : { answered: false, reason: 'probe answered nonsense' };
}

/** One client per region, made on first use (the SDK loads only in a checker that probes elsewhere). */
function defaultClients(): (region: string) => Promise<LambdaClient> {
  const clients = new Map<string, Promise<LambdaClient>>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      // No retries: a region that fails once within the deadline is unknown for this check.
      client = import('@aws-sdk/client-lambda').then(({ LambdaClient }) => new LambdaClient({ region, maxAttempts: 1 }));
      clients.set(region, client);
    }
    return client;
  };
}
