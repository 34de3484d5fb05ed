import { probeRequestSchema, runProbeRequest, toWireResult, type WireProbeResult } from '../../../probes/request.js';

/**
 * The `probe` Lambda, deployed in every region but home (serverless.probe.yml): one SSRF-guarded probe
 * of the request the home checker sends (a synchronous `Invoke`), its result returned. It holds no
 * database, no secret and no configuration: everything the probe needs, the opened credentials
 * included, travels in the request, which is never logged. Private targets are always refused here.
 */
export const handler = async (event: unknown): Promise<WireProbeResult> => {
  const parsed = probeRequestSchema.safeParse(event);
  if (!parsed.success) {
    // The field names only: the event may carry credentials.
    console.warn(JSON.stringify({ level: 'warn', event: 'probe.bad_request', fields: parsed.error.issues.map((i) => i.path.join('.')) }));
    throw new Error('bad probe request');
  }
  return toWireResult(await runProbeRequest(parsed.data, { allowPrivateTargets: false, namesSettings: false }));
};
