/**
 * What a person enters for a heartbeat monitor: nothing to fetch; the job it watches pings its URL
 * at least every interval, with graceSeconds of slack before it counts as late.
 */
import * as z from 'zod';
import * as f from '../fields.js';

/** The heartbeat monitor's own fields, as an update takes them. */
export const heartbeatFields = {
  graceSeconds: f.graceSeconds,
};

export const DEFAULT_GRACE_SECONDS = 300;

export const heartbeatMonitorInput = f.kindInput('heartbeat', z.literal('heartbeat'), {
  graceSeconds: heartbeatFields.graceSeconds.default(DEFAULT_GRACE_SECONDS),
});
export type HeartbeatMonitorInput = z.infer<typeof heartbeatMonitorInput>;

/** A ping is judged when it arrives: a new grace only applies from the next evaluation, so no edit triggers a check. */
export const HEARTBEAT_CHECK_AFFECTING = [] as const satisfies readonly (keyof typeof heartbeatFields)[];
