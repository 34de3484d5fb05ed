/** What a person enters for a tcp monitor: a host and port, up when a connection opens in time. */
import * as z from 'zod';
import * as f from '../fields.js';

/** The tcp monitor's own fields, as an update takes them. */
export const tcpFields = {
  host: f.tcpHost,
  port: f.tcpPort,
  timeoutMs: f.timeoutMs,
};

export const tcpMonitorInput = f.kindInput('tcp', z.literal('tcp'), {
  host: tcpFields.host,
  port: tcpFields.port,
  timeoutMs: tcpFields.timeoutMs.default(f.DEFAULT_TIMEOUT_MS),
});
export type TcpMonitorInput = z.infer<typeof tcpMonitorInput>;

/** The fields whose change makes the last verdict stale: an edit to one triggers a check. */
export const TCP_CHECK_AFFECTING = ['host', 'port', 'timeoutMs'] as const satisfies readonly (keyof typeof tcpFields)[];
