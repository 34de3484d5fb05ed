/**
 * Checking from several regions, the pure rules: which regions a monitor is checked from, how many
 * failing regions make it down (the quorum), and what one check's per-region answers add up to.
 * The probing itself is behind a port (src/probes/regions.ts); the decision is here, in one place.
 */
import { limitsOf, type PlanName } from './plans.js';

/** What a region's probe said: it answered up or down, or it did not answer in time (unknown, never down). */
export type RegionState = 'up' | 'down' | 'unknown';

/** One region's part of one check, as a check row, the monitor and the APIs keep it. */
export type RegionOutcome = {
  region: string;
  state: RegionState;
  statusCode: number | null;
  /** Null when the region did not answer. */
  responseTimeMs: number | null;
  /** Why it failed or was not heard from; null when up. */
  reason: string | null;
  /** Up, but slower than the monitor's degradedAboveMs. */
  slow?: boolean;
};

/** A region name as AWS spells them (eu-west-1) or a local stand-in (local, home). */
export const REGION_NAME = /^[a-z][a-z0-9-]{1,31}$/;

/** The default quorum: a majority of the monitor's regions (2 of 3, 2 of 2, 3 of 4). */
export function majority(regionCount: number): number {
  return Math.floor(regionCount / 2) + 1;
}

/** The quorum in force: the monitor's own, clamped to its regions in force, else a majority. */
export function quorumOf(failureQuorum: number | null, regionCount: number): number {
  if (failureQuorum === null) return majority(regionCount);
  return Math.min(Math.max(1, failureQuorum), Math.max(1, regionCount));
}

/**
 * The regions a monitor is checked from now: its own (home when none), those still configured,
 * home first, at most as many as its account's plan allows (after a downgrade, or a plan change
 * that raced an edit, the plan wins at check time, as the interval does).
 */
export function regionsInForce(asked: readonly string[] | null, configured: readonly string[], plan: PlanName): string[] {
  const home = configured[0]!;
  const wanted = new Set(asked ?? [home]);
  const ordered = configured.filter((r) => r === home || wanted.has(r));
  return ordered.slice(0, Math.max(1, limitsOf(plan).maxRegions));
}

/** What one check from several regions decides: the status it gives and the words that explain it. */
export type RegionalVerdict = {
  /** down: at least `quorum` regions failed; degraded: some failed, fewer than the quorum (no page); up. */
  state: 'up' | 'degraded' | 'down';
  failing: RegionOutcome[];
  /** Null when up in every region that answered. */
  reason: string | null;
};

const named = (o: RegionOutcome) => `${o.region} (${o.reason ?? 'failed'})`;

/**
 * The rule (docs/adr/0016-region-quorum.md): down when at least `quorum` regions failed; a region
 * that did not answer is unknown and counts for nothing either way; fewer failures than the quorum
 * is degraded, naming the failing regions, and pages no one; a slow answer is degraded as before.
 */
export function decideRegions(outcomes: readonly RegionOutcome[], quorum: number): RegionalVerdict {
  const failing = outcomes.filter((o) => o.state === 'down');
  const unknown = outcomes.filter((o) => o.state === 'unknown');
  const silent = unknown.length ? `; no answer from ${unknown.map((o) => o.region).join(', ')}` : '';
  if (failing.length >= quorum) return { state: 'down', failing, reason: `down in ${failing.map(named).join(', ')}${silent}` };
  if (failing.length > 0) {
    return { state: 'degraded', failing, reason: `failing in ${failing.map(named).join(', ')} (${failing.length} of ${outcomes.length} regions, fewer than ${quorum})${silent}` };
  }
  const slow = outcomes.filter((o) => o.slow);
  if (slow.length) return { state: 'degraded', failing, reason: null };
  return { state: 'up', failing, reason: null };
}
