import * as z from 'zod/mini';

/**
 * Fan-out mode's shards (ADR 0015). A shard is a range of monitor ids: ids are `mon_` + random
 * [a-z0-9] characters, so equal ranges hold equal shares of the monitors, like a hash of the id,
 * and a tick reads its range from an index with no per-monitor shard column to keep up to date.
 */

/** How often every shard ticks: its schedule is `rate(1 minute)`. */
export const TICK_MS = 60_000;

/**
 * Where in the minute shard `index` of `count` ticks (ms after the minute): the shards spread evenly
 * over it, so the ticks of one count never all start in the same second.
 */
export const shardPhaseMs = (index: number, count: number, tickMs = TICK_MS) => Math.floor((index * tickMs) / count);

/** The id characters in the order SQLite compares them (digits before letters). */
const ID_CHARS = '0123456789abcdefghijklmnopqrstuvwxyz';
const BOUNDARY_DIGITS = 4;
const SPACE = ID_CHARS.length ** BOUNDARY_DIGITS;

/** Shard `index` of `count`: the ids from `from` (inclusive) to `to` (exclusive); null is open-ended. */
export type ShardRange = { from: string | null; to: string | null };

export function shardRange(index: number, count: number): ShardRange {
  const boundary = (i: number) => {
    let v = Math.floor((i * SPACE) / count);
    let digits = '';
    for (let d = 0; d < BOUNDARY_DIGITS; d++) {
      digits = ID_CHARS[v % ID_CHARS.length]! + digits;
      v = Math.floor(v / ID_CHARS.length);
    }
    return `mon_${digits}`;
  };
  return { from: index === 0 ? null : boundary(index), to: index === count - 1 ? null : boundary(index + 1) };
}

/**
 * The rule: shards double while a shard would hold more than `size` monitors, and halve only while
 * the halves would be at most three-quarters full, so a count hovering at a boundary does not make
 * the schedules flap. Always a power of two, so every shard of one count is a whole number of shards of the next.
 */
export function shardCountFor(monitors: number, size: number, current: number): number {
  let n = Math.max(1, current);
  while (monitors > n * size) n *= 2;
  while (n > 1 && monitors <= (n / 2) * size * 0.75) n /= 2;
  return n;
}

/** The name of a shard's schedule: the count is part of it, so a new set never overwrites the old one it replaces. */
export const shardScheduleName = (index: number, count: number) => `fanout-${count}-${index}`;

/** What a shard's schedule sends the checker: which shard, and when this tick was due (ISO 8601). */
export type TickEvent = { shard: number; shards: number; scheduledAt: string };

const TickEventSchema = z.object({
  shard: z.int().check(z.gte(0)),
  shards: z.int().check(z.gte(1), z.lte(1 << 20)),
  scheduledAt: z.iso.datetime(),
});

/** A shard tick's event, validated; null when it is not one. `dueAt` in ms. */
export function parseTickEvent(event: unknown): { shard: number; shards: number; dueAt: number } | null {
  const parsed = TickEventSchema.safeParse(event);
  if (!parsed.success || parsed.data.shard >= parsed.data.shards) return null;
  return { shard: parsed.data.shard, shards: parsed.data.shards, dueAt: Date.parse(parsed.data.scheduledAt) };
}

/** Where the shard schedules live: EventBridge Scheduler on AWS, in-process timers locally. */
export interface ShardSchedules {
  /** Creates the `count` schedules of that shard count (an existing one is left as it is). */
  ensure(count: number): Promise<void>;
  /** Deletes the schedules of shard count `count` (one already gone is not an error). */
  retire(count: number): Promise<void>;
}
