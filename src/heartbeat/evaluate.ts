import type { ProbeResult } from '../probes/result.js';

export type HeartbeatState = {
  intervalSeconds: number;
  graceSeconds: number;
  /** ms; null before the first ping (since it was created or resumed). */
  lastPingAt: number | null;
  lastPingOk: boolean | null;
  /** ms; when the monitor started waiting for pings (created, resumed, or its status last changed). */
  waitingSince: number;
};

/**
 * A heartbeat probes nothing: it compares the last ping with the clock. Late (no ping within
 * interval + grace) or an explicit /fail is down; a ping in time is up. Before the first ping, and
 * while still within interval + grace of waiting, there is nothing to record (null: stays pending).
 */
export function evaluateHeartbeat(s: HeartbeatState, now: number): ProbeResult | null {
  const allowedMs = (s.intervalSeconds + s.graceSeconds) * 1000;
  const result = (reason: string | null): ProbeResult => ({
    ok: reason === null,
    statusCode: null,
    responseTimeMs: 0,
    reason,
    certExpiresAt: null,
  });
  if (s.lastPingAt === null) {
    return now - s.waitingSince > allowedMs ? result(`no ping within ${s.intervalSeconds + s.graceSeconds} s`) : null;
  }
  if (now - s.lastPingAt > allowedMs) return result(`no ping within ${s.intervalSeconds + s.graceSeconds} s`);
  return result(s.lastPingOk === false ? 'ping reported failure' : null);
}
