import type { MonitorOutput } from './schemas.js';
import { statusOf, type MonitorRow } from './service.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toMonitorOutput(m: MonitorRow): MonitorOutput {
  return {
    id: m.id,
    name: m.name,
    url: m.url,
    method: m.method,
    intervalSeconds: m.intervalSeconds,
    timeoutMs: m.timeoutMs,
    expectedStatusCodes: m.expectedStatusCodes,
    keyword: m.keyword,
    paused: m.paused,
    status: statusOf(m),
    statusSince: iso(m.statusSince),
    lastCheckedAt: iso(m.lastCheckedAt),
    lastStatusCode: m.lastStatusCode,
    lastResponseTimeMs: m.lastResponseTimeMs,
    lastReason: m.lastReason,
    certExpiresAt: iso(m.certExpiresAt),
    alertContactIds: m.alertContactIds,
    createdAt: m.createdAt.toISOString(),
  };
}
