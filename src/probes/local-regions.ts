/**
 * The probes port in-process (`npm start`, the tests): each configured region is a probe run here,
 * named after it, through the same request the `probe` Lambda runs. Tests inject what a region
 * answers (a failure, a hang, an error), so regions disagreeing is an ordinary case to test.
 */
import type { RegionAnswer, RegionProbes } from './regions.js';
import { withinDeadline } from './regions.js';
import { runProbeRequest, type ProbeRequest } from './request.js';
import type { ProbeOptions, ProbeResult } from './result.js';

/** What a region answers instead of probing: a result, or a promise that may hang or reject. */
export type RegionBehaviour = (request: ProbeRequest) => Promise<ProbeResult> | ProbeResult;

export class LocalRegionProbes implements RegionProbes {
  private readonly behaviours = new Map<string, RegionBehaviour>();

  constructor(private readonly options: ProbeOptions) {}

  /** Makes `region` answer this way from now on (null: probe for real again). */
  inject(region: string, behaviour: RegionBehaviour | null): void {
    if (behaviour) this.behaviours.set(region, behaviour);
    else this.behaviours.delete(region);
  }

  probe(region: string, request: ProbeRequest, { deadlineMs }: { deadlineMs: number }): Promise<RegionAnswer> {
    const run = this.behaviours.get(region) ?? ((r: ProbeRequest) => runProbeRequest(r, this.options));
    const answer = Promise.resolve()
      .then(() => run(request))
      .then((result): RegionAnswer => ({ answered: true, result }));
    return withinDeadline(answer, deadlineMs);
  }
}
