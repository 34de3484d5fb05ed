import * as z from 'zod';
import { MONITOR_KINDS } from '../domain/monitor-kinds.js';
import { idInput } from '../domain/id-input.js';
import { changeFields, commonChangeFields, kindObject } from './fields.js';
import { heartbeatFields, heartbeatMonitorInput } from './kinds/heartbeat.input.js';
import { httpFields, httpMonitorInput } from './kinds/http.input.js';
import { tcpFields, tcpMonitorInput } from './kinds/tcp.input.js';

/**
 * The monitor doors' input schemas. Each kind's fields live in its module (./kinds/*.input.ts);
 * adding a kind adds one member to each list below. Nothing here needs Node: the app's create and
 * edit forms validate with these same schemas.
 */

export const monitorId = idInput('mon', 'monitor');

export { heartbeatMonitorInput, httpMonitorInput, tcpMonitorInput };

/** A new monitor: one member per kind, chosen by `kind` (http when omitted); a field of another kind is refused, named. */
export const createMonitorInput = z.discriminatedUnion('kind', [httpMonitorInput, tcpMonitorInput, heartbeatMonitorInput], {
  error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${MONITOR_KINDS.join(', ')}` : undefined),
});
export type CreateMonitorInput = z.infer<typeof createMonitorInput>;

/** Each kind's own fields as an update takes them (every one optional), for the edit form of a monitor of that kind. */
export const monitorChangeFields = {
  http: changeFields(httpFields),
  tcp: changeFields(tcpFields),
  heartbeat: changeFields(heartbeatFields),
} satisfies Record<(typeof MONITOR_KINDS)[number], object>;

/**
 * An edit: the id, then any field of any kind, each omitted one kept. The monitor's kind is
 * fixed, so `kind` may be sent (the edit form sends the monitor back) but not changed; the service
 * refuses, naming it, a field the monitor's kind does not have (src/monitors/update.ts).
 */
export const updateMonitorInput = z.strictObject({
  id: monitorId,
  kind: z.enum(MONITOR_KINDS).optional(),
  ...commonChangeFields,
  ...monitorChangeFields.http,
  ...monitorChangeFields.tcp,
  ...monitorChangeFields.heartbeat,
});
export type UpdateMonitorInput = z.infer<typeof updateMonitorInput>;

/** One kind's edit schema: what the edit form of a monitor of that kind validates with (`kind` fixed). */
export function updateInputOf<K extends (typeof MONITOR_KINDS)[number]>(kind: K) {
  return kindObject(kind, { id: monitorId, kind: z.literal(kind).optional(), ...commonChangeFields, ...monitorChangeFields[kind] });
}
