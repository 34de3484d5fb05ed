import { evaluateHeartbeat } from '../../heartbeat/evaluate.js';
import { newPingToken } from '../../heartbeat/token.js';
import { HEARTBEAT_CHECK_AFFECTING, heartbeatFields } from './heartbeat.input.js';
import { copied, type MonitorKind, type SettingsOf } from './kind.js';

/**
 * A heartbeat monitor probes nothing: the job it watches pings its URL (src/heartbeat/route.ts),
 * and a check compares the last ping with the clock. Its ping token is made on create and only its
 * hash stored; the token itself is returned once.
 */
export type HeartbeatSettings = SettingsOf<typeof heartbeatFields>;

export const heartbeatKind: MonitorKind<HeartbeatSettings> = {
  name: 'heartbeat',
  fields: Object.keys(heartbeatFields),
  checkAffecting: HEARTBEAT_CHECK_AFFECTING,
  // Late is late: a second look would find the same clock.
  confirmsFailures: false,
  notCheckableNow: 'a heartbeat monitor is checked by its pings, not by Vigil',

  write(_svc, s, { before, by }) {
    const columns = copied(s, ['graceSeconds']);
    if (before) return Promise.resolve({ columns });
    // Who made the ping URL knows it: a member who leaves has theirs rotated (src/teams/members.ts).
    const ping = newPingToken();
    return Promise.resolve({ columns: { ...columns, url: '', pingTokenHash: ping.hash, pingTokenCreatedBy: by }, pingToken: ping.token });
  },

  shownUrl: () => null,

  wire: (m) => ({
    graceSeconds: m.graceSeconds,
    lastPingAt: m.lastPingAt === null ? null : new Date(m.lastPingAt).toISOString(),
    pingTokenCreatedBy: m.pingTokenCreatedBy,
  }),

  check: (svc, m) =>
    Promise.resolve(
      evaluateHeartbeat(
        {
          intervalSeconds: m.intervalSeconds,
          graceSeconds: m.graceSeconds ?? 0,
          lastPingAt: m.lastPingAt,
          lastPingOk: m.lastPingOk,
          waitingSince: m.statusSince?.getTime() ?? m.createdAt.getTime(),
        },
        svc.now(),
      ),
    ),
};
