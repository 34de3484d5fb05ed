import type { ProbeOptions, ProbeResult } from '../../probes/result.js';
import type { Services } from '../../services.js';
import { heartbeatKind } from './heartbeat.js';
import { httpKind } from './http.js';
import type { CheckedMonitor, KindName, MonitorKind } from './kind.js';
import { tcpKind } from './tcp.js';

/**
 * The table of monitor kinds: create, update, the wire and the checker reach a kind only through
 * it. A new kind is one module beside these (and its input schema, listed in ../schemas.ts) plus
 * one line here.
 */
const KINDS: Record<KindName, MonitorKind> = {
  http: httpKind,
  tcp: tcpKind,
  heartbeat: heartbeatKind,
};

export function kindOf(name: KindName): MonitorKind {
  return KINDS[name];
}

/** One check of a monitor of any kind; null when there is nothing to record yet (a heartbeat still waiting for its first ping). */
export function checkMonitor(svc: Services, m: CheckedMonitor, opts: ProbeOptions): Promise<ProbeResult | null> {
  return kindOf(m.kind).check(svc, m, opts);
}
