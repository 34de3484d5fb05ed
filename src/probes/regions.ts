/**
 * The probes port: one probe request run in another region. On AWS the `probe` Lambda of that
 * region, invoked synchronously by the home checker (./lambda-regions.ts); locally an in-process
 * probe named after the region (./local-regions.ts). The home region never goes through it: the
 * checker probes home itself.
 */
import type { ProbeRequest } from './request.js';
import type { ProbeResult } from './result.js';

/** A region answered with its result, or did not answer in time (unknown: never counted as down). */
export type RegionAnswer = { answered: true; result: ProbeResult } | { answered: false; reason: string };

export type RegionProbes = {
  /** Never rejects: a region that errors or misses `deadlineMs` is an unanswered region. */
  probe(region: string, request: ProbeRequest, opts: { deadlineMs: number }): Promise<RegionAnswer>;
};

/** The answer of `work`, or unanswered once `deadlineMs` has passed (`onLate` then cancels the work) or when it fails. */
export async function withinDeadline(work: Promise<RegionAnswer>, deadlineMs: number, onLate: () => void = () => {}): Promise<RegionAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<RegionAnswer>((resolve) => {
    timer = setTimeout(() => {
      onLate();
      resolve({ answered: false, reason: `no answer within ${deadlineMs} ms` });
    }, deadlineMs);
  });
  try {
    return await Promise.race([work.catch((): RegionAnswer => ({ answered: false, reason: 'probe failed' })), late]);
  } finally {
    clearTimeout(timer);
  }
}
